"""Newsroom-shaped content for the tests: what a Moroccan municipal site really publishes."""

from __future__ import annotations

from pathlib import Path

# An ordinary article as reporters write them: no Lang line, an image through {static}.
BUDGET = """Title: مجلس جماعة مراكش يصادق على ميزانية سنة 2027
Date: 2026-11-20 18:30
Category: الشأن المحلي
Tags: مراكش, الميزانية
Slug: marrakech-budget-2027
Summary: صادق مجلس جماعة مراكش بالأغلبية على مشروع ميزانية السنة المقبلة.

صادق مجلس جماعة مراكش، خلال دورته العادية لشهر أكتوبر، بالأغلبية على مشروع ميزانية سنة 2027.
وأوضحت رئيسة المجلس أن الميزانية تعطي الأولوية لتأهيل الأحياء الناقصة التجهيز وتحسين النقل الحضري.

![أعضاء المجلس خلال التصويت على الميزانية]({static}/images/conseil-marrakech.jpg)

## أبرز المشاريع

- تهيئة الطرق والأرصفة بمقاطعة المنارة.
- توسيع شبكة الإنارة العمومية بالطاقة الشمسية.
- إحداث فضاءات خضراء جديدة بحي المحاميد.

وعبرت المعارضة عن تحفظها على بعض بنود الميزانية، مطالبة بمزيد من الشفافية في تدبير الصفقات العمومية.
"""

# A press release the commune sent in French: published as it is, in French.
COMMUNIQUE = """Title: Communiqué : fermeture temporaire de l'avenue Mohammed V
Date: 2026-11-21 11:00
Category: Communiqués
Lang: fr
Slug: communique-avenue-mohammed-v

La commune de Rabat informe les usagers que l'avenue Mohammed V sera fermée à la
circulation du 1er au 3 décembre 2026, en raison des travaux de réfection de la chaussée.
Des déviations seront mises en place par la rue de Tanger.
"""

# A draft the editor has not approved: previewed in a development build only.
DRAFT = """Title: مشروع الخط الثالث للترامواي بالرباط
Date: 2026-11-22 09:00
Category: النقل الحضري
Tags: ترامواي_سري
Slug: rabat-tramway-line-3-draft
Status: draft

تدرس جماعة الرباط مشروع خط ثالث للترامواي يربط حي يعقوب المنصور بمحطة الرباط أكدال.
ولم يحدد بعد تاريخ انطلاق الأشغال.
"""

# A hidden article: reachable by its link (sent to partners), listed nowhere.
HIDDEN = """Title: برنامج زيارة الوفد الإفريقي لمدينة فاس
Date: 2026-11-19 08:00
Category: التعاون اللامركزي
Tags: وفد_خاص
Slug: fes-african-delegation-programme
Status: hidden

يحل بمدينة فاس يوم الاثنين المقبل وفد من رؤساء المدن الإفريقية في زيارة تدوم ثلاثة أيام.
ويتضمن البرنامج زيارة المدينة العتيقة ولقاء مع أعضاء المجلس الجماعي.
"""

IMAGE = "images/conseil-marrakech.jpg"


def write_newsroom(content: Path, *articles: tuple[str, str]) -> None:
    """Write articles (file name, text) and the image they use into ``content``."""
    (content / "articles").mkdir(parents=True, exist_ok=True)
    for name, text in articles:
        (content / "articles" / name).write_text(text, encoding="utf-8")
    image = content / IMAGE
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG, but a file to copy once")
