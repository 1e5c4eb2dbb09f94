"""A region's translation of a library instrument (#19): the demo region adds
an Arabic PHQ-9, so that Amira, who reads Arabic, answers the sleep program's
PHQ-9 in Arabic. Written for the demo and said so: it is not the validated
Arabic version, which a region would upload instead.

A region's own instrument imported from a real public FHIR Questionnaire (#30):
the Argonaut Questionnaire IG's AUDIT-C (STU3, weights on the answers, the
scoring in words), imported as a designer would; the instruments page shows
what the import assumed (the offered sum)."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model

from fyren.instruments.library import LIBRARY
from fyren.instruments.models import Instrument, InstrumentTranslation
from fyren.instruments.services import instrument_import, instrument_translation_add
from fyren.instruments.translations import sheet

PHQ9_ARABIC = {
    "name": "PHQ-9 – استبيان صحة المريض",
    "intro": "خلال الأسبوعين الماضيين، كم مرة عانيت من أي من المشكلات التالية؟",
    "option_sets/freq/0/text": "أبدًا",
    "option_sets/freq/1/text": "عدة أيام",
    "option_sets/freq/2/text": "أكثر من نصف الأيام",
    "option_sets/freq/3/text": "كل يوم تقريبًا",
    "items/1/text": "قلة الاهتمام أو المتعة في القيام بالأشياء",
    "items/2/text": "الشعور بالحزن أو الاكتئاب أو اليأس",
    "items/3/text": "صعوبة في النوم أو البقاء نائمًا، أو النوم أكثر من اللازم",
    "items/4/text": "الشعور بالتعب أو بقلة الطاقة",
    "items/5/text": "ضعف الشهية أو الإفراط في الأكل",
    "items/6/text": "الشعور بعدم الرضا عن نفسك — أو أنك فاشل أو أنك خذلت نفسك أو عائلتك",
    "items/7/text": "صعوبة في التركيز على الأشياء، مثل قراءة الصحيفة أو مشاهدة التلفاز",
    "items/8/text": "التحرك أو التحدث ببطء شديد لدرجة أن الآخرين قد لاحظوا ذلك — أو العكس: التململ أو عدم "
    "الاستقرار لدرجة أنك كنت تتحرك أكثر من المعتاد بكثير",
    "items/9/text": "أفكار بأنه من الأفضل لو كنت ميتًا، أو بإيذاء نفسك بطريقة ما",
    "scoring/bands/total/minimal/label": "لا توجد أو ضئيلة",
    "scoring/bands/total/minimal/interpretation": "أعراض اكتئاب غير موجودة أو ضئيلة.",
    "scoring/bands/total/mild/label": "خفيفة",
    "scoring/bands/total/mild/interpretation": "أعراض اكتئاب خفيفة.",
    "scoring/bands/total/moderate/label": "متوسطة",
    "scoring/bands/total/moderate/interpretation": "أعراض اكتئاب متوسطة.",
    "scoring/bands/total/moderately_severe/label": "متوسطة إلى شديدة",
    "scoring/bands/total/moderately_severe/interpretation": "أعراض اكتئاب متوسطة إلى شديدة.",
    "scoring/bands/total/severe/label": "شديدة",
    "scoring/bands/total/severe/interpretation": "أعراض اكتئاب شديدة.",
}

SOURCE = (
    "Demonstration translation written for Fyren's demo (2026), not the validated Arabic PHQ-9: "
    "replace it with the official Arabic version (Pfizer, phqscreeners.com) before clinical use"
)
LICENCE = "Demo only. The official PHQ-9 translations are free to use, no permission required (Pfizer)."


AUDIT_C = Path(__file__).parent / "data" / "argonaut-audit-c.json"


def load_instrument_translations(people) -> int:
    region = people["regions"][0]
    designer = get_user_model().objects.get(username="david.noor")
    if not Instrument.objects.filter(owner=region, code="questionnaire_example_audit_c").exists():
        instrument_import(actor=designer, region=region, resource=json.loads(AUDIT_C.read_text()), language="en")
    if InstrumentTranslation.objects.filter(region=region, code="phq9", language="ar").exists():
        return 0
    instrument_translation_add(
        actor=designer,
        region=region,
        code="phq9",
        language="ar",
        sheet=sheet(LIBRARY["phq9"], PHQ9_ARABIC),
        source=SOURCE,
        licence=LICENCE,
    )
    return 1
