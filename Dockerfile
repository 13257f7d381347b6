# Askwell's image: one image, every process (bin/askwell web | worker | search-worker | beat).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    ASKWELL_PYTHON=/usr/local/bin/python ASKWELL_VAR_DIR=/var/lib/askwell \
    MEDIA_ROOT=/var/lib/askwell/media ASKWELL_BIND=0.0.0.0:8000 \
    STATICFILES_BACKEND=whitenoise.storage.CompressedManifestStaticFilesStorage

WORKDIR /app
COPY requirements.txt constraints.txt ./
RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt
COPY . .
# Static files are collected into the image, compressed and with hashed names
# (whitenoise serves them); a throwaway key, since settings need one to load.
RUN DJANGO_SECRET_KEY=collectstatic-only-not-a-real-key-0123456789abcdefghijkl \
    ASKWELL_VAR_DIR=/tmp/build python manage.py collectstatic --noinput -v0 \
    && mkdir -p /app/var && cp -r /tmp/build/staticfiles /app/staticfiles && rm -rf /tmp/build \
    && useradd --system --home /var/lib/askwell askwell && mkdir -p /var/lib/askwell/media /var/lib/askwell/vectors \
    && chown -R askwell /var/lib/askwell
ENV STATIC_ROOT=/app/staticfiles ASKWELL_STATIC_BUILT=1
USER askwell
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s CMD \
    python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health/', timeout=4).status != 200)"
ENTRYPOINT ["bin/askwell"]
CMD ["web"]
