"""Web environments: the local MiniWoB++-style task suite in a real Chromium (see docs/web.md).

Registration only (string entry points): playwright and the browser load on `make`/`reset`.
"""

from gymhub.registry import register

#: task name -> one-line description (kept here so that registering stays import-free)
WEB_TASKS = {
    "ClickButton": "click the button with a given label",
    "ClickCheckboxes": "tick exactly the named checkboxes, then submit",
    "EnterText": "type a given text into a field and submit",
    "LoginUser": "log in with a given user name and password",
    "ChooseList": "choose an entry from a drop-down list",
    "PickDate": "enter a date written in words into a date field",
    "NavigateTabs": "open a tab and click a button inside it",
    "ValidatedForm": "fill a server-validated registration form",
    "SignupWizard": "three-page sign-up flow: details, plan, confirmation",
    "SearchOpen": "search a catalogue and open the named result",
    "EmailReply": "open an email in an inbox and reply with a given text",
    "ShopCheckout": "add products to a server-side cart and check out",
    "SortTable": "sort a table by a column with its header buttons",
    "FilterTable": "filter a table by category and select the cheapest row",
    "DragItem": "drag a card into a named column of a board",
    "ReadReport": "find a fact on a product page and report it with send_msg",
}

for _name, _what in WEB_TASKS.items():
    register(
        f"gymhub/Web-{_name}-v0",
        "gymhub.envs.web.env:BrowserEnv",
        family="web",
        description=f"Browser: {_what}.",
        multi_turn=True,
        modalities=("text",),
        difficulty_range=(1, 5),
        task_source="generator:web",
        tags=("browser", "tools"),
        task=_name,
    )
