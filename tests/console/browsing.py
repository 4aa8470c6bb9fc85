"""What a test does in the console's pages with Selenium (blocking: run through ``in_thread``)."""

from __future__ import annotations

from typing import Any

EXTERNAL = """
return Array.from(document.querySelectorAll('[src], [href], link, script, img, form[action]'))
  .map(e => e.getAttribute('src') || e.getAttribute('href') || e.getAttribute('action') || '')
  .filter(v => /^(https?:)?\\/\\//i.test(v) && new URL(v, location.href).host !== location.host);
"""
SIDEWAYS = "return document.documentElement.scrollWidth > window.innerWidth"


def by_id(driver: Any, element_id: str) -> Any:
    from selenium.webdriver.common.by import By
    return driver.find_element(By.ID, element_id)


def text_of(driver: Any, css: str) -> str:
    from selenium.webdriver.common.by import By
    return str(driver.find_element(By.CSS_SELECTOR, css).text)


def click_and_wait(driver: Any, element: Any) -> None:
    """Click what submits a form or follows a link, and wait for the next page: the old page's
    root is gone (stale, or caught mid-navigation, which Chromium reports as another error)."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()

    def gone(_: Any) -> bool:
        try:
            page.is_enabled()
        except WebDriverException:
            return True
        return False

    WebDriverWait(driver, 15).until(gone)


def sign_in_with_token(driver: Any, base: str, token: str) -> str:
    """Paste ``token`` on the sign-in page; the text of the page it leads to (or its refusal)."""
    from selenium.webdriver.common.by import By
    forget_cookies(driver)
    driver.get(f"{base}/admin/sign-in/")
    driver.find_element(By.NAME, "token").send_keys(token)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.stack button"))
    return str(driver.find_element(By.TAG_NAME, "main").text)


def forget_cookies(driver: Any) -> None:
    """Cookies are kept by host, not port: each test's server starts without the last one's."""
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})


def sign_in_by_link(driver: Any, link: str) -> str:
    driver.get(link)
    click_and_wait(driver, by_id(driver, "use-link"))
    return str(by_id_or_main(driver))


def by_id_or_main(driver: Any) -> str:
    from selenium.webdriver.common.by import By
    return str(driver.find_element(By.TAG_NAME, "main").text)


def sign_out(driver: Any) -> None:
    from selenium.webdriver.common.by import By
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/sign-out/'] button"))


def submit(driver: Any, form_css: str, **fields: str) -> str:
    """Fill a form's fields (by name), submit it, and return the notice or error it comes back with."""
    from selenium.webdriver.common.by import By
    form = driver.find_element(By.CSS_SELECTOR, form_css)
    for name, value in fields.items():
        field = form.find_element(By.NAME, name)
        if field.tag_name == "select":
            from selenium.webdriver.support.ui import Select
            Select(field).select_by_visible_text(value)
            continue
        field.clear()
        field.send_keys(value)
    click_and_wait(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    found = driver.find_elements(By.CSS_SELECTOR, ".notice, .error")
    return str(found[0].text) if found else ""
