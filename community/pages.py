"""The default text of the pages staff write in the site, shown until they save their own."""

from __future__ import annotations

from community.models import PageSlug

DEFAULTS: dict[str, tuple[str, str]] = {
    PageSlug.GUIDELINES: (
        "Community guidelines",
        """This community is where customers help each other, with our support team close by.
A few things keep it useful for everyone.

## Ask so that others can answer

- **Search first.** Your question may already be answered; the ask page shows similar
  threads as you type.
- **One problem per question**, with a title that says what goes wrong ("Invoice shows the
  old tax rate", not "Help!").
- **Say what you tried** and what happened: steps, error messages, versions.
- **Keep private things private.** Never post passwords, card numbers or invoices in a
  public post; support staff can take such details privately.

## Answer so that it helps

- Answer the question that was asked, and explain why it works.
- Be kind to newcomers: everyone's first question is a first question.
- Vote up what helped you; accept the answer that solved your problem, so the next
  customer finds it.

## What is not welcome

Insults, harassment, spam and advertising, and posting other people's personal data.
Members with enough reputation, advocates and staff can flag, edit, close or remove such
posts; repeated abuse leads to a suspension. If you see something wrong, flag it.

## When the community cannot help

If nobody has answered after a while, or the problem needs your account, support staff
take the question over. You can also ask for support directly from your question.
""",
    ),
    PageSlug.ABOUT: (
        "About this community",
        """This is the customer community: customers answer each other's questions around the
clock, our support team makes sure no question goes unanswered, and our product teams read
the feedback you leave here and answer in public.

See the [community guidelines](/guidelines/) and [meet the team](/team/).
""",
    ),
}
