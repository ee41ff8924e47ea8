"""Canonical product keys: one ``vendor:product`` spelling (NVD's CPE names) for what feeds
and banners call by many names. Both sides of a match (a feed's affected product and a
scanned service) go through ``product_key`` so they meet on one indexed column. Pure.
"""

from __future__ import annotations

import re

_NON_WORD = re.compile(r"[^a-z0-9_.\-]+")

# Vendor spellings of feeds (CVE JSON 5 ``vendor``) → NVD's CPE vendor.
VENDOR_ALIASES = {
    "palo_alto_networks": "paloaltonetworks",
    "palo_alto": "paloaltonetworks",
    "openbsd_project": "openbsd",
    "the_apache_software_foundation": "apache",
    "apache_software_foundation": "apache",
    "pulse_secure": "ivanti",
    "pulsesecure": "ivanti",
    "netscaler": "citrix",
    "cloud_software_group": "citrix",
    "f5_networks": "f5",
    "nginx": "f5",
}

# (vendor, product) or product alone → canonical key. NetScaler ADC and Gateway run the
# same firmware with the same build numbers, so they share one key.
PRODUCT_ALIASES = {
    "openssh": "openbsd:openssh",
    "openbsd:openssh": "openbsd:openssh",
    "fortios": "fortinet:fortios",
    "fortigate": "fortinet:fortios",
    "fortigate_ssl-vpn": "fortinet:fortios",
    "fortinet:fortigate": "fortinet:fortios",
    "fortinet:fortigate_ssl-vpn": "fortinet:fortios",
    "fortiproxy": "fortinet:fortiproxy",
    "pan-os": "paloaltonetworks:pan-os",
    "panos": "paloaltonetworks:pan-os",
    "globalprotect": "paloaltonetworks:pan-os",
    "paloaltonetworks:globalprotect": "paloaltonetworks:pan-os",
    "connect_secure": "ivanti:connect_secure",
    "ivanti_connect_secure": "ivanti:connect_secure",
    "pulse_connect_secure": "ivanti:connect_secure",
    "ivanti:pulse_connect_secure": "ivanti:connect_secure",
    "ivanti:ics": "ivanti:connect_secure",
    "policy_secure": "ivanti:policy_secure",
    "ivanti:ips": "ivanti:policy_secure",
    "netscaler": "citrix:netscaler",
    "netscaler_adc": "citrix:netscaler",
    "netscaler_gateway": "citrix:netscaler",
    "citrix_adc": "citrix:netscaler",
    "citrix_gateway": "citrix:netscaler",
    "citrix:netscaler_adc": "citrix:netscaler",
    "citrix:netscaler_gateway": "citrix:netscaler",
    "citrix:netscaler_application_delivery_controller": "citrix:netscaler",
    "citrix:application_delivery_controller": "citrix:netscaler",
    "citrix:gateway": "citrix:netscaler",
    "citrix:adc": "citrix:netscaler",
    "apache_httpd": "apache:http_server",
    "apache_http_server": "apache:http_server",
    "httpd": "apache:http_server",
    "apache:httpd": "apache:http_server",
    "nginx": "f5:nginx",
    "microsoft_iis": "microsoft:internet_information_services",
    "iis": "microsoft:internet_information_services",
}

# Source package names of a product in distributions (for backport checks).
DISTRO_PACKAGES = {
    "openbsd:openssh": {"debian": "openssh", "ubuntu": "openssh", "rhel": "openssh"},
    "apache:http_server": {"debian": "apache2", "ubuntu": "apache2", "rhel": "httpd"},
    "f5:nginx": {"debian": "nginx", "ubuntu": "nginx", "rhel": "nginx"},
}

# Products a municipality reaches its network through: exposure raises their priority.
REMOTE_ACCESS_PRODUCTS = frozenset(
    {
        "fortinet:fortios",
        "fortinet:fortiproxy",
        "paloaltonetworks:pan-os",
        "ivanti:connect_secure",
        "ivanti:policy_secure",
        "citrix:netscaler",
        "sonicwall:sonicos",
        "openbsd:openssh",
        "microsoft:remote_desktop_services",
    }
)
REMOTE_ACCESS_SERVICES = frozenset({"ssh", "rdp", "ms-wbt-server", "telnet", "vnc", "ssl-vpn"})


def normalise(name: str | None) -> str:
    """A feed's or banner's name in CPE style: lower case, words joined by ``_``."""
    text = (name or "").strip().lower().replace(" ", "_")
    return _NON_WORD.sub("", text).strip("_")


def product_key(vendor: str | None, product: str | None) -> str:
    """The canonical ``vendor:product`` key, or ``:product`` when the vendor is unknown."""
    vendor_name = normalise(vendor)
    vendor_name = VENDOR_ALIASES.get(vendor_name, vendor_name)
    product_name = normalise(product)
    # Banners and feeds often repeat the vendor in the product ("Ivanti Connect Secure").
    if vendor_name and vendor_name in product_name and product_name != vendor_name:
        product_name = product_name.replace(vendor_name + "_", "", 1)
    combined = f"{vendor_name}:{product_name}"
    if combined in PRODUCT_ALIASES:
        return PRODUCT_ALIASES[combined]
    if product_name in PRODUCT_ALIASES and (
        not vendor_name or PRODUCT_ALIASES[product_name].startswith(vendor_name + ":")
    ):
        return PRODUCT_ALIASES[product_name]
    return combined


def product_name(key: str) -> str:
    """The product half of a key, for matching services whose vendor is unknown."""
    return key.split(":", 1)[-1]
