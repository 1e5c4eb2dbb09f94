"""Helpers for browser tests on the demo data (the fixture ``demo_live`` is in conftest.py)."""


def demo_login(page, live, name):
    """Log in through the demo e-ID page as a demo person (citizen or staff)."""
    page.goto(live + "/account/login/demo-eid/")
    page.get_by_role("button", name=f"Logga in som {name}").click()


def logout(page):
    page.get_by_role("button", name="Logga ut").click()
