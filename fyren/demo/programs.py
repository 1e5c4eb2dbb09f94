"""Two published demo programs written for Fyren: an 8-module internet CBT
program for worry (Swedish and English), and a self-enrolment sleep program
with a sleep diary (Swedish, English, Arabic and easy-to-read Swedish, #19).
Loaded by ``load_demo_data``; idempotent. The Arabic and the easy-to-read
Swedish were written by Fyren's developers and await review by a qualified
translator, as the page catalogues do."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from fyren.accounts.models import User
from fyren.programs import elements as k
from fyren.programs import services as svc
from fyren.programs.models import Element, Module, ProgramVersion, Section, Step

EASY = settings.FYREN_EASY_SWEDISH  # "sv-x-lattlast"

EMERGENCY = {
    "sv": "Du når din behandlare via meddelanden här i Fyren, vardagar. Svar inom två arbetsdagar.\n"
    "Om du mår mycket dåligt eller har tankar på att skada dig själv: ring 1177 eller 112 vid akut fara.",
    "en": "You reach your clinician through messages here in Fyren on weekdays. Answers within two working days.\n"
    "If you feel very bad or have thoughts of harming yourself: call 1177, or 112 in an emergency.",
}


# The sleep program in Arabic: each English text of it, and its Arabic.
ARABIC = {
    "You reach your clinician through messages here in Fyren on weekdays. Answers within two working days.\n"
    "If you feel very bad or have thoughts of harming yourself: call 1177, or 112 in an emergency.": "يمكنك الوصول "
    "إلى معالجك عبر الرسائل هنا في Fyren في أيام العمل. يأتي الرد خلال يومَي عمل.\n"
    "إذا كنت تشعر بسوء شديد أو تراودك أفكار عن إيذاء نفسك: اتصل بالرقم 1177، أو بالرقم 112 في حالة الطوارئ.",
    "Sleep school – better sleep on your own": "مدرسة النوم – نوم أفضل بنفسك",
    "Four parts about sleep, with a sleep diary, for people who want to sleep better.": "أربعة أجزاء عن النوم، "
    "مع مذكرة نوم، لمن يريد أن ينام بشكل أفضل.",
    "Adults with mild sleep problems.": "البالغون الذين يعانون من مشكلات نوم خفيفة.",
    "Mild insomnia, sleep problems without another known cause.": "أرق خفيف، مشكلات نوم دون سبب آخر معروف.",
    "Adults in the region": "البالغون في المنطقة",
    "About sleep": "عن النوم",
    "How sleep works.": "كيف يعمل النوم.",
    "The basics of sleep": "أساسيات النوم",
    "People need different amounts of sleep, usually 6–9 hours. Two things govern sleep: "
    "**sleep pressure**, which builds while you are awake, and your **body clock**.": "يحتاج الناس إلى كميات "
    "مختلفة من النوم، عادةً من 6 إلى 9 ساعات. يتحكم في النوم أمران: **ضغط النوم** الذي يتراكم أثناء يقظتك، "
    "و**ساعتك البيولوجية**.",
    "How are you?": "كيف حالك؟",
    "Sleep and mood go together. Your answers are read by the unit's staff.": "النوم والمزاج مرتبطان. يقرأ "
    "موظفو الوحدة إجاباتك.",
    "Sleep diary": "مذكرة النوم",
    "Follow your sleep for two weeks.": "تابع نومك لمدة أسبوعين.",
    "Fill in the sleep diary": "املأ مذكرة النوم",
    "Fill in the diary each morning. Estimate – do not look at the clock during the night.": "املأ المذكرة كل "
    "صباح. قدّر الأوقات تقديرًا – لا تنظر إلى الساعة أثناء الليل.",
    "Went to bed": "ذهبت إلى السرير",
    "Woke up": "استيقظت",
    "Slept about": "نمت تقريبًا",
    "Times awake": "عدد مرات الاستيقاظ",
    "Sleep quality (1–5)": "جودة النوم (1–5)",
    "Good sleep habits": "عادات نوم جيدة",
    "Small changes that make a difference.": "تغييرات صغيرة تُحدث فرقًا.",
    "Your habits": "عاداتك",
    "What I will try": "ما سأجربه",
    "Get up at the same time every day": "استيقظ في الوقت نفسه كل يوم",
    "No screens in the last hour": "لا شاشات في الساعة الأخيرة قبل النوم",
    "No coffee after 3 pm": "لا قهوة بعد الساعة 3 عصرًا",
    "Daylight in the morning": "ضوء النهار في الصباح",
    "Which habit is hardest for you to change, and why?": "ما العادة الأصعب عليك تغييرها، ولماذا؟",
    "The bed is for sleep": "السرير للنوم",
    "Stimulus control: re-learning the bed.": "ضبط المثيرات: إعادة تعلّم العلاقة بالسرير.",
    "Stimulus control": "ضبط المثيرات",
    "Go to bed only when you are sleepy. If you have not fallen asleep within about 20 "
    "minutes: get up, do something calm, and go back when you feel sleepy.": "اذهب إلى السرير فقط عندما تشعر "
    "بالنعاس. إذا لم تنم خلال 20 دقيقة تقريبًا: انهض، وافعل شيئًا هادئًا، وعد عندما تشعر بالنعاس.",
    "How many hours did you sleep on average this week?": "كم ساعة نمت في المتوسط هذا الأسبوع؟",
    "If your sleep is still poor": "إذا كان نومك لا يزال سيئًا",
    "You still sleep less than five hours a night on average. There can be many reasons. "
    "Contact your health centre or call 1177 for advice.": "ما زلت تنام أقل من خمس ساعات في الليلة في "
    "المتوسط. قد تكون هناك أسباب كثيرة. تواصل مع مركزك الصحي أو اتصل بالرقم 1177 للحصول على المشورة.",
}


# The sleep program in easy-to-read Swedish (lättläst, #19): short sentences,
# everyday words, one thing at a time. Written by Fyren's developers.
EASY_SWEDISH = {
    "You reach your clinician through messages here in Fyren on weekdays. Answers within two working days.\n"
    "If you feel very bad or have thoughts of harming yourself: call 1177, or 112 in an emergency.": "Du kan "
    "skriva till din behandlare här i Fyren. Du får svar inom två dagar. Vi svarar måndag till fredag.\n"
    "Mår du mycket dåligt? Tänker du på att skada dig själv? Ring 1177. Är det akut: ring 112.",
    "Sleep school – better sleep on your own": "Sömnskolan – sov bättre",
    "Four parts about sleep, with a sleep diary, for people who want to sleep better.": "Fyra delar om sömn. "
    "Du skriver också en sömndagbok. För dig som vill sova bättre.",
    "Adults with mild sleep problems.": "Vuxna som sover lite dåligt.",
    "Mild insomnia, sleep problems without another known cause.": "Lätta sömnproblem. Det finns ingen "
    "annan känd orsak.",
    "Adults in the region": "Vuxna i regionen",
    "About sleep": "Om sömn",
    "How sleep works.": "Så fungerar sömnen.",
    "The basics of sleep": "Det viktigaste om sömn",
    "People need different amounts of sleep, usually 6–9 hours. Two things govern sleep: "
    "**sleep pressure**, which builds while you are awake, and your **body clock**.": "Alla behöver inte "
    "sova lika mycket. De flesta sover 6 till 9 timmar.\n\nTvå saker styr sömnen:\n\n"
    "- **Sömntrycket.** Ju längre du är vaken, desto tröttare blir du.\n"
    "- **Kroppens klocka.** Kroppen vet när det är dag och natt.",
    "How are you?": "Hur mår du?",
    "Sleep and mood go together. Your answers are read by the unit's staff.": "Hur du sover och hur du mår "
    "hänger ihop. Personalen läser dina svar.",
    "Sleep diary": "Sömndagbok",
    "Follow your sleep for two weeks.": "Skriv om din sömn i två veckor.",
    "Fill in the sleep diary": "Skriv i sömndagboken",
    "Fill in the diary each morning. Estimate – do not look at the clock during the night.": "Skriv i "
    "dagboken varje morgon. Gissa tiderna. Titta inte på klockan på natten.",
    "Went to bed": "Gick och lade mig",
    "Woke up": "Vaknade",
    "Slept about": "Sov ungefär",
    "Times awake": "Vaknade så här många gånger",
    "Sleep quality (1–5)": "Hur bra sov du? (1 är dåligt, 5 är bra)",
    "Good sleep habits": "Bra vanor för sömnen",
    "Small changes that make a difference.": "Små saker som hjälper.",
    "Your habits": "Dina vanor",
    "What I will try": "Det här ska jag pröva",
    "Get up at the same time every day": "Gå upp samma tid varje dag",
    "No screens in the last hour": "Ingen mobil, dator eller tv sista timmen",
    "No coffee after 3 pm": "Inget kaffe efter klockan 15",
    "Daylight in the morning": "Gå ut i dagsljus på morgonen",
    "Which habit is hardest for you to change, and why?": "Vilken vana är svårast att ändra? Varför?",
    "The bed is for sleep": "Sängen är till för att sova",
    "Stimulus control: re-learning the bed.": "Lär kroppen att sängen är till för sömn.",
    "Stimulus control": "Sängen är för sömn",
    "Go to bed only when you are sleepy. If you have not fallen asleep within about 20 "
    "minutes: get up, do something calm, and go back when you feel sleepy.": "Gå och lägg dig när du "
    "är sömnig.\n\nSomnar du inte på 20 minuter? Gå upp. Gör något lugnt. Gå och lägg dig igen när du "
    "blir sömnig.",
    "How many hours did you sleep on average this week?": "Hur många timmar sov du en vanlig natt den här veckan?",
    "If your sleep is still poor": "Om du fortfarande sover dåligt",
    "You still sleep less than five hours a night on average. There can be many reasons. "
    "Contact your health centre or call 1177 for advice.": "Du sover mindre än fem timmar en vanlig natt. "
    "Det kan finnas många orsaker. Kontakta din vårdcentral. Du kan också ringa 1177 och få råd.",
}


def with_translations(value):
    """The same content with every Swedish-and-English text also in Arabic and
    in easy-to-read Swedish."""
    if isinstance(value, dict):
        if "en" in value and isinstance(value["en"], str):
            return {**value, "ar": ARABIC[value["en"]], EASY: EASY_SWEDISH[value["en"]]}
        return {key: with_translations(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(with_translations(inner) for inner in value)
    return value


def _el(kind, **content):
    base = k.empty_content(kind)
    base.update(content)
    return kind, base


def _build(version, modules):
    """modules: [(title, intro, [(step title, [(kind, content[, condition])...])...])]"""
    for m_pos, (title, intro, steps) in enumerate(modules, start=1):
        module = Module.objects.create(version=version, position=m_pos, title=title, intro=intro)
        section = Section.objects.create(version=version, module=module, position=1, title=title)
        for s_pos, (step_title, items) in enumerate(steps, start=1):
            step = Step.objects.create(version=version, section=section, position=s_pos, title=step_title)
            for e_pos, item in enumerate(items, start=1):
                kind, content, *condition = item
                Element.objects.create(
                    version=version,
                    step=step,
                    position=e_pos,
                    kind=kind,
                    content=content,
                    condition=condition[0] if condition else None,
                )


def _text(sv, en):
    return _el(k.TEXT, body={"sv": sv, "en": en})


def _worry_modules():
    gad_intro = {
        "sv": "Svara på frågorna om hur du har mått de senaste två veckorna.",
        "en": "Answer the questions about how you have felt over the last two weeks.",
    }
    return [
        (
            {"sv": "Välkommen – om oro och behandlingen", "en": "Welcome – about worry and the treatment"},
            {
                "sv": "Vad oro är, hur programmet fungerar och vad du vill uppnå.",
                "en": "What worry is, how the program works and what you want to achieve.",
            },
            [
                (
                    {"sv": "Välkommen", "en": "Welcome"},
                    [
                        _text(
                            "Oro är en del av livet. Den hjälper oss att förbereda oss och att lösa problem. "
                            "Men ibland tar oron över: tankarna går runt, sömnen blir sämre och det blir svårt att "
                            "koppla av.\n\nI det här programmet lär du dig, steg för steg, nya sätt att hantera oro. "
                            "Programmet bygger på kognitiv beteendeterapi (KBT) och har åtta moduler. Räkna med "
                            "ungefär en modul i veckan och 20–30 minuter om dagen.\n\n"
                            "**Din behandlare** läser dina övningar och svarar på dina meddelanden.",
                            "Worry is part of life. It helps us prepare and solve problems. But sometimes worry "
                            "takes over: thoughts go round and round, sleep gets worse and it is hard to relax.\n\n"
                            "In this program you learn, step by step, new ways of handling worry. The program is "
                            "based on cognitive behavioural therapy (CBT) and has eight modules. Plan for about one "
                            "module a week and 20–30 minutes a day.\n\n"
                            "**Your clinician** reads your exercises and answers your messages.",
                        ),
                        _el(
                            k.CHECKLIST,
                            title={"sv": "Innan du börjar", "en": "Before you start"},
                            items=[
                                {
                                    "key": "how",
                                    "label": {
                                        "sv": "Jag har läst hur programmet fungerar",
                                        "en": "I have read how the program works",
                                    },
                                },
                                {
                                    "key": "contact",
                                    "label": {
                                        "sv": "Jag vet hur jag når min behandlare",
                                        "en": "I know how to reach my clinician",
                                    },
                                },
                            ],
                        ),
                    ],
                ),
                (
                    {"sv": "Hur mår du just nu?", "en": "How are you right now?"},
                    [
                        _el(
                            k.QUESTIONNAIRE,
                            instrument="gad7",
                            intro=gad_intro,
                            schedule={"at_start": True, "weekly": True, "at_end": True, "follow_up_weeks": 12},
                        ),
                    ],
                ),
                (
                    {"sv": "Dina mål", "en": "Your goals"},
                    [
                        _el(
                            k.EXERCISE,
                            prompt={
                                "sv": "Vad vill du ska vara annorlunda när du har gått igenom programmet? "
                                "Skriv konkret.",
                                "en": "What do you want to be different when you have finished the program? "
                                "Be concrete.",
                            },
                            mode="worksheet",
                            fields=[
                                {
                                    "key": "goal",
                                    "label": {"sv": "Mitt viktigaste mål", "en": "My most important goal"},
                                    "multiline": True,
                                },
                                {
                                    "key": "sign",
                                    "label": {
                                        "sv": "Så märker jag att jag har nått dit",
                                        "en": "How I will notice that I got there",
                                    },
                                    "multiline": True,
                                },
                            ],
                        ),
                    ],
                ),
            ],
        ),
        (
            {"sv": "Förstå din oro", "en": "Understanding your worry"},
            {"sv": "Att upptäcka när, var och hur oron kommer.", "en": "Noticing when, where and how worry comes."},
            [
                (
                    {"sv": "Oroskedjan", "en": "The worry chain"},
                    [
                        _text(
                            "Oro börjar ofta med en *tänk om*-tanke. Tanken väcker obehag, och vi försöker få bort "
                            "obehaget genom att tänka vidare, kontrollera eller undvika. Det lättar en stund – men "
                            "lär hjärnan att oron behövdes.",
                            "Worry often starts with a *what if* thought. The thought brings discomfort, and we try "
                            "to get rid of it by thinking more, checking or avoiding. That helps for a while – but "
                            "teaches the brain that the worry was needed.",
                        ),
                    ],
                ),
                (
                    {"sv": "Registrera din oro", "en": "Record your worry"},
                    [
                        _el(
                            k.DIARY,
                            title={"sv": "Orosdagbok", "en": "Worry diary"},
                            intro={
                                "sv": "Skriv ned när du märker att du oroar dig, helst samma dag.",
                                "en": "Write down when you notice that you are worrying, preferably the same day.",
                            },
                            fields=[
                                {"key": "situation", "label": {"sv": "Situation", "en": "Situation"}, "type": "text"},
                                {
                                    "key": "thought",
                                    "label": {"sv": "Orostanke", "en": "Worrying thought"},
                                    "type": "text",
                                },
                                {
                                    "key": "strength",
                                    "label": {"sv": "Hur stark (0–10)", "en": "How strong (0–10)"},
                                    "type": "scale",
                                    "min": 0,
                                    "max": 10,
                                },
                                {
                                    "key": "minutes",
                                    "label": {"sv": "Hur länge", "en": "How long"},
                                    "type": "number",
                                    "unit": "min",
                                    "min": 0,
                                    "max": 1440,
                                },
                            ],
                        ),
                    ],
                ),
            ],
        ),
        *[
            (
                title,
                intro,
                [
                    ({"sv": "Läs", "en": "Read"}, [_text(body_sv, body_en)]),
                    (
                        {"sv": "Veckans övning", "en": "This week's exercise"},
                        [
                            _el(k.EXERCISE, prompt={"sv": ex_sv, "en": ex_en}, mode="free_text"),
                        ],
                    ),
                    *(
                        [
                            (
                                {"sv": "Hur mår du?", "en": "How are you?"},
                                [_el(k.QUESTIONNAIRE, instrument="gad7", intro=gad_intro)],
                            )
                        ]
                        if rating
                        else []
                    ),
                ],
            )
            for title, intro, body_sv, body_en, ex_sv, ex_en, rating in [
                (
                    {"sv": "Undvikande och säkerhetsbeteenden", "en": "Avoidance and safety behaviours"},
                    {
                        "sv": "Det vi gör för att slippa oro håller den vid liv.",
                        "en": "What we do to escape worry keeps it alive.",
                    },
                    "Att undvika, fråga om lugnande besked eller kontrollera gör att oron släpper just nu, men "
                    "den kommer tillbaka starkare. Den här veckan kartlägger du vad du gör när du oroar dig.",
                    "Avoiding, asking for reassurance or checking makes worry let go for now, but it comes back "
                    "stronger. This week you map what you do when you worry.",
                    "Skriv ned tre saker du gör för att slippa oro, och vad som händer efteråt.",
                    "Write down three things you do to escape worry, and what happens afterwards.",
                    False,
                ),
                (
                    {"sv": "Skjut upp oron – orostid", "en": "Postponing worry – worry time"},
                    {"sv": "Oro kan vänta till en bestämd tid.", "en": "Worry can wait until a set time."},
                    "Välj en tid på dagen, 20 minuter, som är din orostid. När oron kommer under dagen: notera den "
                    "och skjut upp den till orostiden. Många märker att oron har minskat när tiden kommer.",
                    "Choose a time of day, 20 minutes, as your worry time. When worry comes during the day: note it "
                    "and postpone it to worry time. Many notice that the worry has faded when the time comes.",
                    "Använd orostid varje dag i veckan. Hur gick det? Vad var lätt, vad var svårt?",
                    "Use worry time every day this week. How did it go? What was easy, what was hard?",
                    True,
                ),
                (
                    {"sv": "Problemlösning", "en": "Problem solving"},
                    {
                        "sv": "Skilj på problem du kan lösa och oro om det okända.",
                        "en": "Tell solvable problems from worry about the unknown.",
                    },
                    "Vissa orostankar handlar om verkliga problem som går att lösa. Då hjälper problemlösning: "
                    "beskriv problemet, föreslå lösningar, välj en och pröva.",
                    "Some worrying thoughts are about real problems that can be solved. Then problem solving "
                    "helps: describe the problem, list solutions, choose one and try it.",
                    "Välj ett verkligt problem och gå igenom stegen. Vilken lösning prövade du?",
                    "Choose a real problem and go through the steps. Which solution did you try?",
                    False,
                ),
                (
                    {"sv": "Att möta osäkerhet", "en": "Facing uncertainty"},
                    {"sv": "Öva på att låta saker vara osäkra.", "en": "Practise letting things be uncertain."},
                    "Oro är ofta ett försök att bli säker. Genom att medvetet låta bli att kontrollera, i små steg, "
                    "lär du dig att osäkerhet går att stå ut med.",
                    "Worry is often an attempt to become certain. By deliberately not checking, in small steps, "
                    "you learn that uncertainty can be tolerated.",
                    "Gör tre små övningar där du låter bli att kontrollera. Beskriv vad som hände med oron.",
                    "Do three small exercises where you do not check. Describe what happened to the worry.",
                    False,
                ),
                (
                    {"sv": "Värderingar och aktiviteter", "en": "Values and activities"},
                    {
                        "sv": "Lägg tiden på det som är viktigt för dig.",
                        "en": "Spend your time on what matters to you.",
                    },
                    "När oron tar mindre plats blir det plats för annat. Vad är viktigt för dig – relationer, "
                    "arbete, hälsa, fritid? Planera in en aktivitet varje dag som för dig i den riktningen.",
                    "When worry takes less room, there is room for other things. What matters to you – "
                    "relationships, work, health, leisure? Plan one activity a day that takes you that way.",
                    "Planera och gör en värdefull aktivitet varje dag. Skriv ned vad du gjorde.",
                    "Plan and do one valued activity each day. Write down what you did.",
                    False,
                ),
                (
                    {"sv": "Att hålla i förändringen", "en": "Keeping it going"},
                    {"sv": "Din plan för tiden efter programmet.", "en": "Your plan for after the program."},
                    "Oro kommer att dyka upp igen – det är normalt. Det viktiga är att du känner igen tecknen och "
                    "vet vad som hjälper dig.",
                    "Worry will come back now and then – that is normal. What matters is that you recognise the "
                    "signs and know what helps you.",
                    "Skriv din plan: varningstecken, vad som hjälper, och vem du kan vända dig till.",
                    "Write your plan: warning signs, what helps, and whom you can turn to.",
                    True,
                ),
            ]
        ],
    ]


def _sleep_modules():
    return [
        (
            {"sv": "Om sömn", "en": "About sleep"},
            {"sv": "Hur sömnen fungerar.", "en": "How sleep works."},
            [
                (
                    {"sv": "Sömnens grunder", "en": "The basics of sleep"},
                    [
                        _text(
                            "Sömnbehovet varierar mellan människor, oftast 6–9 timmar. Två saker styr sömnen: "
                            "**sömntrycket**, som byggs upp under den tid du är vaken, och **dygnsrytmen**.",
                            "People need different amounts of sleep, usually 6–9 hours. Two things govern sleep: "
                            "**sleep pressure**, which builds while you are awake, and your **body clock**.",
                        ),
                    ],
                ),
                (
                    {"sv": "Hur mår du?", "en": "How are you?"},
                    [
                        # Sleep and mood go together: a baseline PHQ-9 (item 9 raises an
                        # urgent flag for the unit), again at the end.
                        _el(
                            k.QUESTIONNAIRE,
                            instrument="phq9",
                            intro={
                                "sv": "Sömn och humör hänger ihop. Dina svar läses av vårdcentralens personal.",
                                "en": "Sleep and mood go together. Your answers are read by the unit's staff.",
                            },
                            schedule={"at_start": True, "at_end": True},
                        ),
                    ],
                ),
            ],
        ),
        (
            {"sv": "Sömndagbok", "en": "Sleep diary"},
            {"sv": "Följ din sömn i två veckor.", "en": "Follow your sleep for two weeks."},
            [
                (
                    {"sv": "Fyll i sömndagboken", "en": "Fill in the sleep diary"},
                    [
                        _text(
                            "Fyll i dagboken varje morgon. Uppskatta – titta inte på klockan under natten.",
                            "Fill in the diary each morning. Estimate – do not look at the clock during the night.",
                        ),
                        _el(
                            k.DIARY,
                            title={"sv": "Sömndagbok", "en": "Sleep diary"},
                            fields=[
                                {
                                    "key": "bedtime",
                                    "label": {"sv": "Gick och lade mig", "en": "Went to bed"},
                                    "type": "time",
                                },
                                {"key": "waketime", "label": {"sv": "Vaknade", "en": "Woke up"}, "type": "time"},
                                {
                                    "key": "hours",
                                    "label": {"sv": "Sov ungefär", "en": "Slept about"},
                                    "type": "number",
                                    "unit": "h",
                                    "min": 0,
                                    "max": 24,
                                },
                                {
                                    "key": "awakenings",
                                    "label": {"sv": "Antal uppvaknanden", "en": "Times awake"},
                                    "type": "number",
                                    "min": 0,
                                    "max": 50,
                                },
                                {
                                    "key": "quality",
                                    "label": {"sv": "Sömnkvalitet (1–5)", "en": "Sleep quality (1–5)"},
                                    "type": "scale",
                                    "min": 1,
                                    "max": 5,
                                },
                            ],
                        ),
                    ],
                ),
            ],
        ),
        (
            {"sv": "Goda sömnvanor", "en": "Good sleep habits"},
            {"sv": "Små ändringar som gör skillnad.", "en": "Small changes that make a difference."},
            [
                (
                    {"sv": "Dina vanor", "en": "Your habits"},
                    [
                        _el(
                            k.CHECKLIST,
                            title={"sv": "Det här prövar jag", "en": "What I will try"},
                            items=[
                                {
                                    "key": "same_time",
                                    "label": {
                                        "sv": "Gå upp samma tid varje dag",
                                        "en": "Get up at the same time every day",
                                    },
                                },
                                {
                                    "key": "no_screens",
                                    "label": {"sv": "Ingen skärm sista timmen", "en": "No screens in the last hour"},
                                },
                                {
                                    "key": "caffeine",
                                    "label": {"sv": "Inget kaffe efter klockan 15", "en": "No coffee after 3 pm"},
                                },
                                {
                                    "key": "daylight",
                                    "label": {"sv": "Dagsljus på förmiddagen", "en": "Daylight in the morning"},
                                },
                            ],
                        ),
                        _el(
                            k.EXERCISE,
                            prompt={
                                "sv": "Vilken vana är svårast för dig att ändra, och varför?",
                                "en": "Which habit is hardest for you to change, and why?",
                            },
                        ),
                    ],
                ),
            ],
        ),
        (
            {"sv": "Sängen är till för sömn", "en": "The bed is for sleep"},
            {"sv": "Stimuluskontroll: att lära om sängen.", "en": "Stimulus control: re-learning the bed."},
            [
                (
                    {"sv": "Stimuluskontroll", "en": "Stimulus control"},
                    [
                        _text(
                            "Gå och lägg dig bara när du är sömnig. Om du inte har somnat inom cirka 20 minuter: gå "
                            "upp, gör något lugnt, och gå tillbaka när du blir sömnig.",
                            "Go to bed only when you are sleepy. If you have not fallen asleep within about 20 "
                            "minutes: get up, do something calm, and go back when you feel sleepy.",
                        ),
                        _el(
                            k.MEASUREMENT,
                            label={
                                "sv": "Hur många timmar sov du i genomsnitt den här veckan?",
                                "en": "How many hours did you sleep on average this week?",
                            },
                            unit="h",
                            min=0,
                            max=24,
                            decimals=1,
                        ),
                    ],
                ),
                (
                    {"sv": "Om sömnen fortfarande är dålig", "en": "If your sleep is still poor"},
                    [
                        (
                            *_text(
                                "Du sover fortfarande under fem timmar per natt i genomsnitt. "
                                "Det kan ha många orsaker. "
                                "Kontakta din vårdcentral eller ring 1177 för att få råd.",
                                "You still sleep less than five hours a night on average. There can be many reasons. "
                                "Contact your health centre or call 1177 for advice.",
                            ),
                            None,
                        ),
                    ],
                ),
            ],
        ),
    ]


@transaction.atomic
def load_demo_programs(region, designer: User, publisher: User, units) -> list[ProgramVersion]:
    """Create and publish the demo programs for ``region`` unless they exist."""
    made = []
    specs = [
        (
            "worry",
            {"sv": "Oro – KBT via internet", "en": "Worry – internet CBT"},
            "treatment",
            "sequence",
            {
                "sv": "Ett åttaveckorsprogram med KBT för dig som oroar dig mycket och har svårt att sluta.",
                "en": "An eight-week CBT program for people who worry a lot and find it hard to stop.",
            },
            {
                "sv": "Vuxna med generaliserat ångestsyndrom eller besvärande oro.",
                "en": "Adults with generalised anxiety disorder or troublesome worry.",
            },
            {
                "sv": "Generaliserat ångestsyndrom (F41.1), mild till måttlig oro och ångest.",
                "en": "Generalised anxiety disorder (F41.1), mild to moderate worry and anxiety.",
            },
            _worry_modules(),
            False,
        ),
        (
            "sleep",
            {"sv": "Sömnskolan – bättre sömn på egen hand", "en": "Sleep school – better sleep on your own"},
            "course",
            "all",
            {
                "sv": "Fyra delar om sömn, med sömndagbok, för dig som vill sova bättre.",
                "en": "Four parts about sleep, with a sleep diary, for people who want to sleep better.",
            },
            {"sv": "Vuxna med lättare sömnbesvär.", "en": "Adults with mild sleep problems."},
            {
                "sv": "Lättare insomni, sömnbesvär utan annan känd orsak.",
                "en": "Mild insomnia, sleep problems without another known cause.",
            },
            _sleep_modules(),
            True,
        ),
    ]
    for slug, title, kind, unlock, summary, target, indications, modules, open_self in specs:
        if ProgramVersion.objects.filter(program__owner=region, number=1, title__sv=title["sv"]).exists():
            continue
        # The sleep program is also in Arabic (#19): a demo citizen follows it in Arabic.
        arabic = slug == "sleep"
        languages = ["sv", "en", "ar", EASY] if arabic else ["sv", "en"]
        add = with_translations if arabic else (lambda value: value)
        version = svc.program_create(actor=designer, region=region, title=title["sv"], kind=kind, languages=languages)
        _build(version, add(modules))
        version.title, version.summary, version.target_group = add(title), add(summary), add(target)
        version.indications, version.contact_info, version.unlock_rule = add(indications), add(EMERGENCY), unlock
        version.attribution = "Fyren demo content, written for the project."
        # The internet-based treatment counts as IKBT in the national follow-up (reporting).
        version.treatment_kind = "IKBT" if kind == "treatment" else ""
        version.min_age = 18  # both are written for adults (who a program is for, #32)
        version.save()
        if open_self:
            # Open for self-enrolment: a screening gate first. Two PHQ-2 questions;
            # a total of 3 or more suggests depression, which a clinician should
            # assess before a self-help course, so the citizen is advised to make
            # contact instead (and may ask the unit to contact them).
            version.screening = {"instrument": "phq2", "rules": [{"score": "total", "operator": ">=", "value": 3}]}
            version.save(update_fields=["screening"])
        if kind == "course":  # the last page of the sleep program shows only when sleep stays short
            hours = Element.objects.get(version=version, kind=k.MEASUREMENT)
            last = Step.objects.filter(version=version).order_by("-section__module__position", "-position").first()
            last.condition = {"ref": hours.short_key, "op": "lt", "value": 5}
            last.save()
        svc.version_submit(actor=designer, version=version)
        svc.version_review(
            actor=publisher, version=version, checklist=dict.fromkeys(svc.CHECKLIST, True), comment="", approve=True
        )
        admin = User.objects.filter(roles__role="care_provider_admin", roles__region=region).first()
        group = add({"sv": "Vuxna i regionen", "en": "Adults in the region"}) if open_self else None
        for unit in units:
            svc.unit_program_set(
                actor=admin,
                program=version.program,
                unit=unit,
                active=True,
                self_enrolment=open_self,
                self_enrolment_group=group,
            )
        made.append(version)
    return made
