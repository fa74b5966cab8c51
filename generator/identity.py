"""The site's identity and its place on the web: footer lines, robots.txt, what a build without site_url lacks.

The footer follows 《政府网站发展指引》 (国办发〔2017〕47号): 主办单位, 联系方式, ICP备案号 (linked to
the MIIT record site), 公安机关备案号 (linked to the MPS record site) and 网站标识码, each from
``unit.site`` in organization.yaml and shown only when given, then the date the data is as of.
The texts are data: the theme's template escapes each one (``partials/copyright.html``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .models import SiteIdentity

ICP_SITE = "https://beian.miit.gov.cn/"
POLICE_SITE = "https://beian.mps.gov.cn/"

NO_SITE_URL = (
    "提示：mkdocs.yml 未填写 site_url（网站部署地址），因此未生成 RSS 订阅（订阅需要完整链接），"
    "sitemap.xml 为空，404 页面只在网站根路径下显示正常"
)


@dataclass(frozen=True)
class FooterLine:
    label: str
    text: str
    href: str | None = None


def footer_lines(identity: SiteIdentity | None) -> list[FooterLine]:
    """The footer's identity lines, in the order government sites give them; absent ones left out."""
    if identity is None:
        return []
    lines = [
        FooterLine("主办单位", identity.host) if identity.host else None,
        FooterLine("联系方式", identity.contact) if identity.contact else None,
        FooterLine("ICP备案号", identity.icp, ICP_SITE) if identity.icp else None,
        FooterLine("公安备案号", identity.police_record, POLICE_SITE) if identity.police_record else None,
        FooterLine("网站标识码", identity.site_code) if identity.site_code else None,
    ]
    return [line for line in lines if line is not None]


def as_of(day: date) -> str:
    """数据截至 2027年12月31日: the build's today, on every page."""
    return f"数据截至 {day.year}年{day.month}月{day.day}日"


def robots_txt(internal: bool, site_url: str | None) -> bytes:
    """Public: crawlers welcome (and told where the sitemap is); internal: none."""
    if internal:
        return b"User-agent: *\nDisallow: /\n"
    text = "User-agent: *\nAllow: /\n"
    if site_url:
        text += f"Sitemap: {site_url.rstrip('/')}/sitemap.xml\n"
    return text.encode("utf-8")
