"""Demo threads for `make run`: a fictional product, "Lumen", an invoicing and payments app.

Plain data, no ORM: ``seed_demo`` turns it into rows through the actions.
Each thread: category slug, tags, title, body, answers [(author key, body)], the index of
the accepted answer (or None), and extra "I have this too" count.
"""

CATEGORIES = [
    ("billing", "Billing & invoices", "Invoices, payments, refunds and taxes."),
    ("integrations", "Integrations", "Connecting Lumen to banks, accounting and other tools."),
    ("mobile", "Mobile app", "The iOS and Android apps."),
    ("account", "Account & security", "Logins, two-factor, teams and permissions."),
    ("ideas", "Ideas & feedback", "Tell the product team what would make Lumen better."),
]

THREADS = [
    (
        "billing",
        ["invoices", "pdf"],
        "Invoice PDF shows the wrong currency symbol",
        "I bill a client in **CHF** but the PDF shows `$` next to every amount. The web view is right.\n\nWhat I tried:\n\n1. Changing the client's currency back and forth\n2. Regenerating the PDF\n\nAny idea?",
        [
            (
                "ava",
                "The PDF uses the *invoice template's* locale, not the client's. Open **Settings → Templates**, edit the template and set *Number format* to `de-CH`. Regenerate and the symbol is right.",
            ),
            ("omar", "Same here; the template setting fixed it for me too."),
        ],
        0,
    ),
    (
        "billing",
        ["refunds", "payments"],
        "How do I refund only part of a card payment?",
        "A customer paid 120 € but returned one item worth 40 €. I only see a *Refund* button for the whole amount.",
        [
            (
                "ava",
                "Click the arrow next to **Refund** and choose *Partial refund*; you can type any amount up to what was paid. The invoice gets a credit note automatically.",
            )
        ],
        0,
    ),
    (
        "billing",
        ["taxes", "vat"],
        "Reverse-charge VAT note missing on EU invoices",
        "For B2B customers in other EU countries the invoice should say *Reverse charge*. Where do I turn that on?",
        [
            (
                "sam",
                "Give the customer a valid VAT ID in their profile and tick *Business customer*. Lumen then adds the reverse-charge note and sets VAT to 0 %. This is an official answer from the support team.",
            )
        ],
        0,
    ),
    (
        "billing",
        ["recurring", "invoices"],
        "Recurring invoice did not go out this month",
        "My monthly retainer invoice to one client was not sent on the 1st. Others were. Nothing in the activity log.",
        [
            (
                "omar",
                "Check whether the client's email bounced last month — Lumen pauses recurring sends to bounced addresses.",
            ),
            ("ava", "Also look at *Recurring → Paused*; a failed card charge pauses the schedule too."),
        ],
        None,
    ),
    (
        "billing",
        ["payments", "stripe"],
        "Payment marked as pending for three days",
        "A SEPA payment shows *pending* since Monday. Is that normal?",
        [],
        None,
    ),
    (
        "integrations",
        ["bank-sync", "errors"],
        "Bank sync stopped with error 429",
        "Since yesterday my bank feed shows `Error 429 – too many requests` and no new transactions.",
        [
            (
                "ava",
                "429 means the bank is throttling. Lumen retries on its own within 24 hours; you don't need to reconnect. If it lasts longer, disconnect and reconnect the feed.",
            )
        ],
        0,
    ),
    (
        "integrations",
        ["xero", "accounting"],
        "Duplicate invoices after connecting Xero",
        "I connected Xero and now every invoice exists twice there. How do I undo this?",
        [
            (
                "sam",
                "This happens when invoices were already imported by hand. Disconnect, delete the manual copies in Xero, then choose *Sync from today* when reconnecting.",
            ),
            ("jules", "Thanks, that cleaned it up."),
        ],
        0,
    ),
    (
        "integrations",
        ["zapier", "webhooks"],
        "Zapier trigger for paid invoices?",
        "Is there a Zapier trigger that fires when an invoice is paid, not just created?",
        [("omar", "Yes: *Invoice status changed* with the filter `status = paid`.")],
        0,
    ),
    (
        "integrations",
        ["api", "webhooks"],
        "Webhook signature does not validate",
        "I compute HMAC-SHA256 over the body with my secret but it never matches the `Lumen-Signature` header.",
        [
            (
                "ava",
                "Sign the **raw** request body, before any JSON parsing, and compare against the hex digest after the `sha256=` prefix.",
            ),
            ("jules", "I was signing the re-serialized JSON. Raw body works!"),
        ],
        0,
    ),
    (
        "mobile",
        ["ios", "login"],
        "iOS app logs me out every day",
        "The iPhone app asks me to log in again every morning. Android does not.",
        [("omar", "Turn on *Keep me signed in* on the login screen; iOS clears the session otherwise.")],
        None,
    ),
    (
        "mobile",
        ["android", "camera"],
        "Receipt scanning crashes on Android 14",
        "When I tap *Scan receipt* the app closes immediately. Pixel 7, Android 14.",
        [],
        None,
    ),
    (
        "mobile",
        ["ios", "notifications"],
        "No push notification when a client pays",
        "Email arrives, push does not. Notifications are allowed in iOS settings.",
        [
            (
                "ava",
                "In the app: **Profile → Notifications → Payments** is a separate switch from the iOS one. Turn it on.",
            )
        ],
        0,
    ),
    (
        "account",
        ["2fa", "security"],
        "Lost my phone with the authenticator app",
        "I can't log in because my 2FA codes were on the phone I lost. I have my recovery codes somewhere…",
        [
            (
                "sam",
                "Use one of the recovery codes on the 2FA screen (*Use a recovery code*). If you can't find them, reply here and we will verify your identity privately.",
            )
        ],
        0,
    ),
    (
        "account",
        ["teams", "permissions"],
        "Can an accountant see invoices but not edit them?",
        "I want to invite my accountant with read-only access.",
        [("omar", "Invite them with the *Accountant* role: read everything, export, but no edits.")],
        0,
    ),
    (
        "account",
        ["sso", "security"],
        "SAML single sign-on with Okta",
        "Does Lumen support SSO through Okta? Where do I find the metadata URL?",
        [
            (
                "ava",
                "On the Business plan: **Settings → Security → SSO**. The page shows the ACS URL and entity ID to paste into Okta.",
            )
        ],
        None,
    ),
    (
        "ideas",
        ["feature-request", "invoices"],
        "Let me schedule an invoice to send later",
        "I often prepare invoices on Friday but want them to arrive on Monday morning.",
        [("jules", "+1, I'd use this every week.")],
        None,
    ),
    (
        "ideas",
        ["feature-request", "mobile"],
        "Dark mode for the mobile app",
        "The web app has dark mode; the mobile apps don't.",
        [],
        None,
    ),
    (
        "ideas",
        ["idea", "reports"],
        "Cash-flow forecast on the dashboard",
        "A simple chart of expected incoming payments for the next 90 days would help a lot.",
        [("omar", "Until then, the *Aged receivables* report exported to a sheet gets you close.")],
        None,
    ),
    (
        "billing",
        ["invoices", "numbering"],
        "Can I restart invoice numbering each year?",
        "Our accountant wants numbers like 2026-001.",
        [("ava", "Yes: **Settings → Numbering**, pattern `{YYYY}-{###}` and tick *Reset yearly*.")],
        0,
    ),
    (
        "billing",
        ["late-fees"],
        "Automatic late fees",
        "Is there a way to add a late fee when an invoice is 30 days overdue?",
        [("omar", "Reminders can add a fixed or percentage fee: **Reminders → Edit → Late fee**.")],
        0,
    ),
    (
        "integrations",
        ["shopify"],
        "Shopify orders not creating invoices",
        "Connected Shopify yesterday. New orders do not show up as invoices.",
        [
            (
                "sam",
                "Only orders created after the connection sync, and only when *Create invoices for paid orders* is on in the integration settings.",
            )
        ],
        None,
    ),
    (
        "mobile",
        ["android", "offline"],
        "Does the Android app work offline?",
        "I visit clients in places without signal.",
        [
            (
                "ava",
                "You can create invoices and expenses offline; they sync when you're back online. Sending needs a connection.",
            )
        ],
        0,
    ),
    (
        "account",
        ["billing-plan"],
        "Downgrading plan — do I lose my data?",
        "Thinking of going from Business to Starter.",
        [("sam", "No data is deleted. Features above your plan become read-only.")],
        0,
    ),
    (
        "billing",
        ["payments", "paypal"],
        "PayPal fee shown on the invoice?",
        "Can I pass the PayPal fee on to the client?",
        [],
        None,
    ),
    (
        "integrations",
        ["api", "rate-limits"],
        "API rate limit for bulk export",
        "Exporting 20k invoices through the API hits the rate limit quickly. What are the limits?",
        [
            (
                "omar",
                "600 requests per minute per token. Use `page_size=200` and the `updated_since` filter to cut the number of calls.",
            )
        ],
        0,
    ),
    (
        "mobile",
        ["ios", "sync"],
        "Expenses added on iPhone don't appear on the web",
        "Added three expenses on the iPhone; the web app doesn't show them.",
        [
            ("jules", "Pull down to refresh in the app — sync runs when you do."),
            ("ava", "If they still don't appear, check that both are logged into the same company account."),
        ],
        None,
    ),
    (
        "ideas",
        ["feature-request", "integrations"],
        "Integration with Lexoffice",
        "Many German freelancers use Lexoffice; an integration would save a lot of typing.",
        [],
        None,
    ),
    (
        "account",
        ["email", "login"],
        "Changing the login email address",
        "I changed jobs and want to log in with a new address.",
        [
            (
                "ava",
                "Add the new address under **Account → Email addresses**, verify it, then make it primary.",
            )
        ],
        0,
    ),
    (
        "billing",
        ["invoices", "attachments"],
        "Attach timesheets to an invoice",
        "Can I attach a PDF timesheet so it is sent with the invoice?",
        [("omar", "Yes, drag the file into the *Attachments* box when editing the invoice; max 10 MB.")],
        0,
    ),
    (
        "billing",
        ["quotes"],
        "Turn an accepted quote into an invoice",
        "A client accepted my quote. Do I need to retype everything?",
        [("ava", "Open the quote and click **Convert to invoice**.")],
        0,
    ),
]
