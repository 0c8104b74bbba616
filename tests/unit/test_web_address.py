"""Only plain http(s) web addresses are shown as links or served by the API."""

from __future__ import annotations

import pytest

from mle.security.web_address import is_safe_web_address


@pytest.mark.parametrize("address", [
    "https://www.example.org", "http://example.org/a/b?c=d#e", "HTTPS://EXAMPLE.ORG/",
    "https://www.nhs.uk:443/conditions/", "https://bücher.example/", "https://intranet/",
])
def test_http_and_https_addresses_with_a_host_are_safe(address):
    assert is_safe_web_address(address)


@pytest.mark.parametrize("address", [
    "javascript:alert(1)", "JavaScript:alert(document.cookie)", " javascript:alert(1)",
    "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)", "ftp://example.org/", "mailto:someone@example.org",
    "https://user:password@example.org/", "https://example.org@evil.example/",
    "https://exa mple.org/", "https://example.org/ path", "https://example.org\n",
    "https://example.org/\\evil", "https:\\\\evil.example", "https:///path", "http:/example.org",
    "//example.org/", "www.example.org", "https://", "https://example.org:99999/",
    "https://example.org:0/", "https://-bad-.example/", "https://exa_mple.org/",
    "https://[::1/", "https://" + "a" * 2100 + ".org", "", None, 42,
])
def test_anything_else_is_not(address):
    assert not is_safe_web_address(address)
