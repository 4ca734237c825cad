"""Layout checks shared by browser tests: nothing may make a phone page scroll sideways."""

# Elements sticking out of the viewport; a scrolled table's own content (inside .table-wrap) does not count.
STICKING_OUT = """[...document.querySelectorAll('body *')]
  .filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def sideways_overflow(page) -> list[str]:
    """[] when the page fits its viewport's width; else the elements that stick out (for the failure message)."""
    if page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
        return []
    return page.evaluate(STICKING_OUT) or ["the page is wider than the viewport"]
