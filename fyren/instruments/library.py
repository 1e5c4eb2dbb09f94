"""The instrument library shipped with Fyren.

Each definition follows the published scoring of the instrument (sources
below). Swedish item texts follow the Swedish versions in clinical use;
where an official Swedish wording is licensed or unavailable to us, the text is
a faithful translation marked as such in ``source``. Regions add their own
instruments (including licensed ones) in the design tool.
"""

from __future__ import annotations

URGENT_SELF_HARM = {
    "sv": "Svar som tyder på tankar på döden eller på att skada sig själv. Kontakta patienten i dag.",
    "en": "Answer suggesting thoughts of death or self-harm. Contact the patient today.",
}


def _options(*pairs):
    """(sv, en) pairs scored 0, 1, 2, …"""
    return [{"code": str(i), "value": i, "text": {"sv": sv, "en": en}} for i, (sv, en) in enumerate(pairs)]


def _choice(link_id, sv, en, options, **extra):
    return {
        "link_id": link_id,
        "type": "choice",
        "text": {"sv": sv, "en": en},
        "required": True,
        "options": options,
        **extra,
    }


def _bands(score_id, *ranges):
    return {
        score_id: [
            {
                "min": low,
                "max": high,
                "code": code,
                "label": {"sv": sv, "en": en},
                "interpretation": {"sv": isv, "en": ien},
            }
            for low, high, code, sv, en, isv, ien in ranges
        ]
    }


PHQ_FREQ = _options(
    ("Inte alls", "Not at all"),
    ("Flera dagar", "Several days"),
    ("Mer än hälften av dagarna", "More than half the days"),
    ("Nästan varje dag", "Nearly every day"),
)

PHQ9_ITEMS = [
    ("Lite intresse eller glädje i att göra saker", "Little interest or pleasure in doing things"),
    ("Känt dig nedstämd, deprimerad eller känt att framtiden ser hopplös ut", "Feeling down, depressed, or hopeless"),
    (
        "Svårt att somna eller att du vaknat upprepade gånger, eller sovit för mycket",
        "Trouble falling or staying asleep, or sleeping too much",
    ),
    ("Känt dig trött eller energilös", "Feeling tired or having little energy"),
    ("Dålig aptit eller ätit för mycket", "Poor appetite or overeating"),
    (
        "Dålig självkänsla – eller att du känt dig misslyckad eller att du svikit dig själv eller din familj",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
    ),
    (
        "Svårigheter att koncentrera dig, till exempel när du läser tidningen eller tittar på tv",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
    ),
    (
        "Rört dig eller talat så långsamt att andra kunnat märka det – eller motsatsen: varit så nervös eller "
        "rastlös att du rört dig mycket mer än vanligt",
        "Moving or speaking so slowly that other people could have noticed — or the opposite: being so fidgety "
        "or restless that you have been moving around a lot more than usual",
    ),
    (
        "Tankar på att det vore bättre om du vore död eller på att skada dig själv på något sätt",
        "Thoughts that you would be better off dead, or of hurting yourself in some way",
    ),
]
TWO_WEEKS = {
    "sv": "Hur ofta har du under de senaste två veckorna besvärats av följande?",
    "en": "Over the last 2 weeks, how often have you been bothered by the following problems?",
}

PHQ9 = {
    "code": "phq9",
    "version": "1",
    "name": {"sv": "PHQ-9 – frågor om nedstämdhet", "en": "PHQ-9 – Patient Health Questionnaire"},
    "languages": ["sv", "en"],
    "intro": TWO_WEEKS,
    "source": "Kroenke, Spitzer, Williams (2001), J Gen Intern Med 16:606–13. Scoring and severity bands "
    "as published; Swedish items after the Swedish version distributed by Pfizer.",
    "licence": "Free to use, no permission required (Pfizer).",
    "option_sets": {"freq": PHQ_FREQ},
    "items": [_choice(str(n), sv, en, "freq") for n, (sv, en) in enumerate(PHQ9_ITEMS, start=1)],
    "scoring": {
        "scores": [{"id": "total", "items": [str(n) for n in range(1, 10)], "method": "sum", "max_missing": 2}],
        "bands": _bands(
            "total",
            (
                0,
                4,
                "minimal",
                "Inga eller minimala",
                "None or minimal",
                "Inga eller minimala depressiva symtom.",
                "None or minimal depressive symptoms.",
            ),
            (5, 9, "mild", "Lindriga", "Mild", "Lindriga depressiva symtom.", "Mild depressive symptoms."),
            (
                10,
                14,
                "moderate",
                "Måttliga",
                "Moderate",
                "Måttliga depressiva symtom.",
                "Moderate depressive symptoms.",
            ),
            (
                15,
                19,
                "moderately_severe",
                "Medelsvåra",
                "Moderately severe",
                "Medelsvåra depressiva symtom.",
                "Moderately severe depressive symptoms.",
            ),
            (20, 27, "severe", "Svåra", "Severe", "Svåra depressiva symtom.", "Severe depressive symptoms."),
        ),
        "loinc": {"total": "44261-6"},
    },
    "alerts": [
        {"type": "item", "link_id": "9", "operator": ">", "value": 0, "urgent": True, "message": URGENT_SELF_HARM},
        {
            "type": "score",
            "score": "total",
            "operator": ">=",
            "value": 20,
            "message": {
                "sv": "Svåra depressiva symtom (PHQ-9 ≥ 20).",
                "en": "Severe depressive symptoms (PHQ-9 ≥ 20).",
            },
        },
        {
            "type": "worsening",
            "score": "total",
            "points": 5,
            "message": {
                "sv": "PHQ-9 har ökat med minst 5 poäng sedan start.",
                "en": "PHQ-9 has risen by at least 5 points since the start.",
            },
        },
    ],
}

PHQ2 = {
    "code": "phq2",
    "version": "1",
    "name": {"sv": "PHQ-2 – två frågor om nedstämdhet", "en": "PHQ-2 – two depression questions"},
    "languages": ["sv", "en"],
    "intro": TWO_WEEKS,
    "source": "Kroenke, Spitzer, Williams (2003), Med Care 41:1284–92. Cut-off 3. Swedish items as in the "
    "PHQ-9 (the Swedish version distributed by Pfizer).",
    "licence": "Free to use, no permission required (Pfizer).",
    "option_sets": {"freq": PHQ_FREQ},
    "items": [_choice(str(n), sv, en, "freq") for n, (sv, en) in enumerate(PHQ9_ITEMS[:2], start=1)],
    "scoring": {
        "scores": [{"id": "total", "items": ["1", "2"], "method": "sum"}],
        "bands": _bands(
            "total",
            (
                0,
                2,
                "negative",
                "Under gränsvärdet",
                "Below the cut-off",
                "Depression är mindre sannolik.",
                "Depression is less likely.",
            ),
            (
                3,
                6,
                "positive",
                "Över gränsvärdet",
                "At or above the cut-off",
                "Gå vidare med PHQ-9 eller en bedömning.",
                "Follow up with PHQ-9 or an assessment.",
            ),
        ),
        "loinc": {"total": "55758-7"},
    },
    "alerts": [
        {
            "type": "score",
            "score": "total",
            "operator": ">=",
            "value": 3,
            "message": {"sv": "PHQ-2 över gränsvärdet.", "en": "PHQ-2 at or above the cut-off."},
        }
    ],
}

GAD7 = {
    "code": "gad7",
    "version": "1",
    "name": {"sv": "GAD-7 – frågor om oro och ångest", "en": "GAD-7 – Generalised Anxiety Disorder scale"},
    "languages": ["sv", "en"],
    "intro": TWO_WEEKS,
    "source": "Spitzer, Kroenke, Williams, Löwe (2006), Arch Intern Med 166:1092–7. Swedish items after the "
    "Swedish version distributed by Pfizer.",
    "licence": "Free to use, no permission required (Pfizer).",
    "option_sets": {"freq": PHQ_FREQ},
    "items": [
        _choice(str(n), sv, en, "freq")
        for n, (sv, en) in enumerate(
            [
                ("Känt dig nervös, ängslig eller väldigt spänd", "Feeling nervous, anxious, or on edge"),
                ("Inte kunnat sluta oroa dig eller kontrollera din oro", "Not being able to stop or control worrying"),
                ("Oroat dig för mycket för olika saker", "Worrying too much about different things"),
                ("Haft svårt att slappna av", "Trouble relaxing"),
                (
                    "Varit så rastlös att du haft svårt att sitta still",
                    "Being so restless that it is hard to sit still",
                ),
                ("Blivit lätt irriterad eller retlig", "Becoming easily annoyed or irritable"),
                (
                    "Känt dig rädd, som om något hemskt skulle kunna hända",
                    "Feeling afraid, as if something awful might happen",
                ),
            ],
            start=1,
        )
    ],
    "scoring": {
        "scores": [{"id": "total", "items": [str(n) for n in range(1, 8)], "method": "sum", "max_missing": 1}],
        "bands": _bands(
            "total",
            (0, 4, "minimal", "Minimala", "Minimal", "Minimal ångest.", "Minimal anxiety."),
            (5, 9, "mild", "Lindriga", "Mild", "Lindrig ångest.", "Mild anxiety."),
            (10, 14, "moderate", "Måttliga", "Moderate", "Måttlig ångest.", "Moderate anxiety."),
            (15, 21, "severe", "Svåra", "Severe", "Svår ångest.", "Severe anxiety."),
        ),
        "loinc": {"total": "70274-6"},
    },
    "alerts": [
        {
            "type": "score",
            "score": "total",
            "operator": ">=",
            "value": 15,
            "message": {"sv": "Svår ångest (GAD-7 ≥ 15).", "en": "Severe anxiety (GAD-7 ≥ 15)."},
        },
        {
            "type": "worsening",
            "score": "total",
            "points": 5,
            "message": {
                "sv": "GAD-7 har ökat med minst 5 poäng sedan start.",
                "en": "GAD-7 has risen by at least 5 points since the start.",
            },
        },
    ],
}

_NEVER_DAILY = _options(
    ("Aldrig", "Never"),
    ("Mer sällan än en gång i månaden", "Less than monthly"),
    ("Varje månad", "Monthly"),
    ("Varje vecka", "Weekly"),
    ("Dagligen eller nästan dagligen", "Daily or almost daily"),
)
_INJURY = [
    {"code": "0", "value": 0, "text": {"sv": "Nej", "en": "No"}},
    {
        "code": "2",
        "value": 2,
        "text": {"sv": "Ja, men inte under det senaste året", "en": "Yes, but not in the last year"},
    },
    {"code": "4", "value": 4, "text": {"sv": "Ja, under det senaste året", "en": "Yes, during the last year"}},
]
AUDIT_ITEMS = [
    _choice(
        "1",
        "Hur ofta dricker du alkohol?",
        "How often do you have a drink containing alcohol?",
        _options(
            ("Aldrig", "Never"),
            ("1 gång i månaden eller mer sällan", "Monthly or less"),
            ("2–4 gånger i månaden", "2 to 4 times a month"),
            ("2–3 gånger i veckan", "2 to 3 times a week"),
            ("4 gånger i veckan eller mer", "4 or more times a week"),
        ),
    ),
    _choice(
        "2",
        "Hur många standardglas dricker du en typisk dag då du dricker alkohol?",
        "How many standard drinks containing alcohol do you have on a typical day when you are drinking?",
        _options(
            ("1–2", "1 or 2"), ("3–4", "3 or 4"), ("5–6", "5 or 6"), ("7–9", "7 to 9"), ("10 eller fler", "10 or more")
        ),
    ),
    _choice(
        "3",
        "Hur ofta dricker du sex standardglas eller mer vid samma tillfälle?",
        "How often do you have six or more drinks on one occasion?",
        "never_daily",
    ),
    _choice(
        "4",
        "Hur ofta under det senaste året har du inte kunnat sluta dricka när du väl hade börjat?",
        "How often during the last year have you found that you were not able to stop drinking once you had started?",
        "never_daily",
    ),
    _choice(
        "5",
        "Hur ofta under det senaste året har du låtit bli att göra något som du borde ha gjort på "
        "grund av ditt drickande?",
        "How often during the last year have you failed to do what was normally expected from you because of drinking?",
        "never_daily",
    ),
    _choice(
        "6",
        "Hur ofta under det senaste året har du behövt en återställare på morgonen efter ett kraftigt drickande?",
        "How often during the last year have you needed a first drink in the morning to get yourself going "
        "after a heavy drinking session?",
        "never_daily",
    ),
    _choice(
        "7",
        "Hur ofta under det senaste året har du haft skuldkänslor eller samvetsförebråelser på grund "
        "av ditt drickande?",
        "How often during the last year have you had a feeling of guilt or remorse after drinking?",
        "never_daily",
    ),
    _choice(
        "8",
        "Hur ofta under det senaste året har du inte kunnat komma ihåg vad som hände kvällen innan på "
        "grund av ditt drickande?",
        "How often during the last year have you been unable to remember what happened the night before "
        "because you had been drinking?",
        "never_daily",
    ),
    _choice(
        "9",
        "Har du eller någon annan blivit skadad på grund av ditt drickande?",
        "Have you or someone else been injured as a result of your drinking?",
        _INJURY,
    ),
    _choice(
        "10",
        "Har en släkting, vän, läkare eller annan vårdpersonal oroat sig över ditt drickande eller "
        "föreslagit att du borde minska på det?",
        "Has a relative or friend, or a doctor or another health worker, been concerned about your drinking "
        "or suggested you cut down?",
        _INJURY,
    ),
]
AUDIT_INTRO = {
    "sv": "Frågorna gäller ditt bruk av alkohol. Ett standardglas är till exempel 33 cl starköl, "
    "12–15 cl vin eller 4 cl sprit.",
    "en": "The questions are about your use of alcohol. A standard drink is for example a small "
    "bottle of strong beer (33 cl), a glass of wine (12–15 cl) or 4 cl of spirits.",
}

AUDIT = {
    "code": "audit",
    "version": "1",
    "name": {"sv": "AUDIT – frågor om alkoholvanor", "en": "AUDIT – Alcohol Use Disorders Identification Test"},
    "languages": ["sv", "en"],
    "intro": AUDIT_INTRO,
    "source": "Babor, Higgins-Biddle, Saunders, Monteiro (2001), AUDIT guidelines, 2nd ed., WHO. Risk zones as "
    "published by WHO; Swedish wording after the Swedish version in clinical use.",
    "licence": "Free to use (WHO).",
    "option_sets": {"never_daily": _NEVER_DAILY},
    "items": AUDIT_ITEMS,
    "scoring": {
        "scores": [{"id": "total", "items": [str(n) for n in range(1, 11)], "method": "sum"}],
        "bands": _bands(
            "total",
            (0, 7, "zone1", "Låg risk", "Low risk", "Alkoholvanor med låg risk.", "Low-risk drinking."),
            (
                8,
                15,
                "zone2",
                "Riskbruk",
                "Hazardous",
                "Riskabla alkoholvanor: enkla råd.",
                "Hazardous drinking: simple advice.",
            ),
            (
                16,
                19,
                "zone3",
                "Skadligt bruk",
                "Harmful",
                "Skadligt bruk: rådgivning och uppföljning.",
                "Harmful drinking: counselling and follow-up.",
            ),
            (
                20,
                40,
                "zone4",
                "Möjligt beroende",
                "Possible dependence",
                "Möjligt beroende: vidare bedömning behövs.",
                "Possible dependence: further assessment needed.",
            ),
        ),
        "loinc": {"total": "75624-7"},
    },
    "alerts": [
        {
            "type": "score",
            "score": "total",
            "operator": ">=",
            "value": 20,
            "message": {"sv": "AUDIT ≥ 20: möjligt beroende.", "en": "AUDIT ≥ 20: possible dependence."},
        }
    ],
}

AUDIT_C = {
    "code": "auditc",
    "version": "1",
    "name": {"sv": "AUDIT-C – tre frågor om alkohol", "en": "AUDIT-C – three alcohol questions"},
    "languages": ["sv", "en"],
    "intro": AUDIT_INTRO,
    "source": "Bush et al. (1998), Arch Intern Med 158:1789–95; sex-specific cut-offs (women ≥ 3, men ≥ 4) "
    "after Bradley et al. (2007), Alcohol Clin Exp Res 31:1208–17. Swedish wording as in the AUDIT (the "
    "Swedish version in clinical use).",
    "licence": "Free to use (WHO items).",
    "option_sets": {"never_daily": _NEVER_DAILY},
    "items": AUDIT_ITEMS[:3],
    "scoring": {
        "scores": [{"id": "total", "items": ["1", "2", "3"], "method": "sum"}],
        "bands": _bands(
            "total",
            (0, 12, "unknown_sex", "Poäng", "Score", "Gränsvärdet beror på kön.", "The cut-off depends on sex."),
        ),
        "bands_by_sex": {
            "total": {
                "F": _bands(
                    "total",
                    (
                        0,
                        2,
                        "negative",
                        "Under gränsvärdet",
                        "Below the cut-off",
                        "Inga tecken på riskbruk.",
                        "No sign of hazardous drinking.",
                    ),
                    (
                        3,
                        12,
                        "positive",
                        "Över gränsvärdet",
                        "At or above the cut-off",
                        "Tecken på riskbruk (kvinnor ≥ 3).",
                        "Sign of hazardous drinking (women ≥ 3).",
                    ),
                )["total"],
                "M": _bands(
                    "total",
                    (
                        0,
                        3,
                        "negative",
                        "Under gränsvärdet",
                        "Below the cut-off",
                        "Inga tecken på riskbruk.",
                        "No sign of hazardous drinking.",
                    ),
                    (
                        4,
                        12,
                        "positive",
                        "Över gränsvärdet",
                        "At or above the cut-off",
                        "Tecken på riskbruk (män ≥ 4).",
                        "Sign of hazardous drinking (men ≥ 4).",
                    ),
                )["total"],
            }
        },
        "loinc": {"total": "75626-2"},
    },
    "alerts": [],
}

_MADRS_ITEMS = [
    (
        "Sinnesstämning",
        "Mood",
        [
            "Jag kan känna mig glad eller ledsen, alltefter omständigheterna.",
            "Jag känner mig nedstämd för det mesta, men ibland kan det kännas lättare.",
            "Jag känner mig genomgående nedstämd och dyster. Jag kan inte glädja mig åt sådant som vanligen gör mig glad.",
            "Jag är så djupt ledsen och olycklig att jag inte kan tänka mig värre.",
        ],
        [
            "I can feel happy or sad depending on circumstances.",
            "I feel low most of the time, but sometimes it feels lighter.",
            "I feel low and gloomy throughout. I cannot enjoy things that usually make me happy.",
            "I am so deeply sad and unhappy that I cannot imagine it worse.",
        ],
    ),
    (
        "Oroskänslor",
        "Feelings of unease",
        [
            "Jag känner mig för det mesta lugn.",
            "Ibland har jag obehagliga känslor av inre oro.",
            "Jag har ofta en känsla av inre oro som ibland kan bli mycket stark och som jag måste anstränga mig för att bemästra.",
            "Jag har fruktansvärda, långvariga eller outhärdliga ångestkänslor.",
        ],
        [
            "I feel calm most of the time.",
            "Sometimes I have unpleasant feelings of inner unease.",
            "I often feel inner unease that can become very strong and that I must make an effort to master.",
            "I have terrible, long-lasting or unbearable feelings of anxiety.",
        ],
    ),
    (
        "Sömn",
        "Sleep",
        [
            "Jag sover lugnt och bra och tillräckligt länge för mina behov.",
            "Jag har vissa sömnsvårigheter. Ibland har jag svårt att somna eller sover ytligare eller oroligare än vanligt.",
            "Jag sover minst två timmar mindre per natt än normalt. Jag vaknar ofta under natten, även om ingen stör mig.",
            "Jag sover mycket dåligt, inte mer än två–tre timmar per natt.",
        ],
        [
            "I sleep calmly and well, long enough for my needs.",
            "I have some sleep problems: sometimes it is hard to fall asleep, or I sleep more lightly or restlessly.",
            "I sleep at least two hours less a night than usual. I often wake during the night although nobody disturbs me.",
            "I sleep very badly, no more than two or three hours a night.",
        ],
    ),
    (
        "Matlust",
        "Appetite",
        [
            "Min aptit är som den brukar vara.",
            "Min aptit är sämre än vanligt.",
            "Min aptit är betydligt sämre än vanligt. Maten smakar inte och jag får tvinga mig att äta.",
            "Jag vill inte ha någon mat. Om jag ska få någonting i mig måste jag övertalas att äta.",
        ],
        [
            "My appetite is as usual.",
            "My appetite is worse than usual.",
            "My appetite is much worse than usual. Food has no taste and I must force myself to eat.",
            "I do not want any food. To eat anything at all I must be persuaded.",
        ],
    ),
    (
        "Koncentrationsförmåga",
        "Ability to concentrate",
        [
            "Jag har inga koncentrationssvårigheter.",
            "Jag har tillfälligt svårt att hålla tankarna samlade vid sådant som att läsa eller följa ett tv-program.",
            "Jag har påtagligt svårt att koncentrera mig på sådant som normalt inte kräver någon ansträngning av mig.",
            "Jag har så svårt att koncentrera mig att jag knappast kan läsa någonting alls.",
        ],
        [
            "I have no problems concentrating.",
            "At times I find it hard to keep my thoughts on things like reading or following a TV programme.",
            "I clearly find it hard to concentrate on things that usually take no effort.",
            "I find it so hard to concentrate that I can hardly read anything at all.",
        ],
    ),
    (
        "Initiativförmåga",
        "Initiative",
        [
            "Jag har inga svårigheter med att ta itu med nya uppgifter.",
            "När jag ska ta itu med något tar det emot på ett sätt som inte är normalt för mig.",
            "Det krävs en stor ansträngning för mig att ens komma igång med enkla uppgifter som jag vanligtvis utför mer eller mindre rutinmässigt.",
            "Jag kan inte förmå mig att ta itu med de enklaste vardagssysslor.",
        ],
        [
            "I have no difficulty getting started with new tasks.",
            "Getting started on something is harder than is normal for me.",
            "It takes a great effort even to start simple tasks that I usually do more or less routinely.",
            "I cannot bring myself to do the simplest everyday chores.",
        ],
    ),
    (
        "Känslomässigt engagemang",
        "Emotional involvement",
        [
            "Jag är intresserad av omvärlden och engagerar mig i den och det känns meningsfullt.",
            "Jag känner mindre starkt för sådant som brukar engagera mig. Jag har svårare än vanligt att bli berörd.",
            "Jag kan inte känna något intresse för omvärlden, inte ens för vänner och bekanta.",
            "Jag har slutat uppleva några känslor. Jag känner mig smärtsamt likgiltig också för mina närmaste.",
        ],
        [
            "I am interested in the world around me and involved in it, and it feels meaningful.",
            "I feel less strongly about things that usually engage me. It is harder than usual to be moved.",
            "I cannot feel any interest in the world around me, not even in friends and acquaintances.",
            "I have stopped having feelings. I feel painfully indifferent even to those closest to me.",
        ],
    ),
    (
        "Pessimism",
        "Pessimism",
        [
            "Jag ser på framtiden med tillförsikt. Jag är på det hela taget ganska nöjd med mig själv.",
            "Ibland klandrar jag mig själv och tycker att jag är mindre värd än andra.",
            "Jag grubblar ofta över mina misslyckanden och känner mig mindervärdig eller dålig, även om andra tycker annorlunda.",
            "Jag ser allting i svart och kan inte se någon ljusning. Det känns som om jag vore en alldeles förfärlig människa.",
        ],
        [
            "I look to the future with confidence. On the whole I am fairly content with myself.",
            "Sometimes I blame myself and think I am worth less than others.",
            "I often brood over my failures and feel inferior or bad, even if others think otherwise.",
            "I see everything in black and can see no light. I feel as if I were a truly terrible person.",
        ],
    ),
    (
        "Livslust",
        "Zest for life",
        [
            "Jag har normal aptit på livet.",
            "Livet känns inte särskilt meningsfullt men jag önskar ändå inte att jag vore död.",
            "Jag tycker ofta det vore bättre att vara död, och trots att jag egentligen inte önskar det kan självmord ibland kännas som en möjlig utväg.",
            "Jag är egentligen övertygad om att min enda utväg är att dö, och jag tänker mycket på hur jag bäst skulle kunna ta mitt eget liv.",
        ],
        [
            "I have a normal appetite for life.",
            "Life does not feel very meaningful, but I do not wish I were dead.",
            "I often think it would be better to be dead, and although I do not really wish it, suicide can sometimes feel like a possible way out.",
            "I am really convinced that my only way out is to die, and I think a lot about how I could best take my own life.",
        ],
    ),
]


def _madrs_item(n, title_sv, title_en, anchors_sv, anchors_en):
    options = []
    for value in range(7):
        if value % 2 == 0:
            text = {"sv": f"{value} – {anchors_sv[value // 2]}", "en": f"{value} – {anchors_en[value // 2]}"}
        else:
            text = {
                "sv": f"{value} – mellan {value - 1} och {value + 1}",
                "en": f"{value} – between {value - 1} and {value + 1}",
            }
        options.append({"code": str(value), "value": value, "text": text})
    return _choice(str(n), title_sv, title_en, options)


MADRS_S = {
    "code": "madrs_s",
    "version": "1",
    "name": {"sv": "MADRS-S – självskattning av depressiva symtom", "en": "MADRS-S – self-rated depression scale"},
    "languages": ["sv", "en"],
    "intro": {
        "sv": "Välj det påstående i varje grupp som bäst beskriver hur du har mått de senaste tre dagarna. "
        "Du kan också välja ett värde mellan två påståenden.",
        "en": "In each group, choose the statement that best describes how you have felt over the last "
        "three days. You can also choose a value between two statements.",
    },
    "source": "Svanborg & Åsberg (1994), Acta Psychiatr Scand 89:21–8. Bands as commonly used in Swedish "
    "care (0–12, 13–19, 20–34, ≥ 35). Statements condensed for Fyren; use the official form text "
    "where the region holds it.",
    "licence": "Free for use in care.",
    "items": [_madrs_item(n, *item) for n, item in enumerate(_MADRS_ITEMS, start=1)],
    "scoring": {
        "scores": [{"id": "total", "items": [str(n) for n in range(1, 10)], "method": "sum"}],
        "bands": _bands(
            "total",
            (
                0,
                12,
                "none",
                "Ingen eller minimal",
                "None or minimal",
                "Ingen eller minimal depression.",
                "No or minimal depression.",
            ),
            (13, 19, "mild", "Lindrig", "Mild", "Lindrig depression.", "Mild depression."),
            (20, 34, "moderate", "Måttlig", "Moderate", "Måttlig depression.", "Moderate depression."),
            (35, 54, "severe", "Svår", "Severe", "Svår depression.", "Severe depression."),
        ),
    },
    "alerts": [
        {"type": "item", "link_id": "9", "operator": ">=", "value": 4, "urgent": True, "message": URGENT_SELF_HARM},
        {
            "type": "worsening",
            "score": "total",
            "points": 6,
            "message": {
                "sv": "MADRS-S har ökat med minst 6 poäng sedan start.",
                "en": "MADRS-S has risen by at least 6 points since the start.",
            },
        },
    ],
}

WHO5 = {
    "code": "who5",
    "version": "1",
    "name": {"sv": "WHO-5 – välbefinnande", "en": "WHO-5 Well-Being Index"},
    "languages": ["sv", "en"],
    "intro": {"sv": "Hur har du känt dig de senaste två veckorna?", "en": "How have you felt over the last two weeks?"},
    "source": "WHO Collaborating Centre in Mental Health, Psychiatric Research Unit, Hillerød (1998); Topp et "
    "al. (2015), Psychother Psychosom 84:167–76. Raw score 0–25; percentage = raw × 4. Swedish wording "
    "translated for Fyren; use the official Swedish version where the region holds it.",
    "licence": "Free to use (WHO).",
    "option_sets": {
        "time": list(
            reversed(
                _options(
                    ("Inte någon gång", "At no time"),
                    ("Någon gång", "Some of the time"),
                    ("Mindre än halva tiden", "Less than half of the time"),
                    ("Mer än halva tiden", "More than half of the time"),
                    ("Större delen av tiden", "Most of the time"),
                    ("Hela tiden", "All of the time"),
                )
            )
        )
    },
    "items": [
        _choice(str(n), sv, en, "time")
        for n, (sv, en) in enumerate(
            [
                ("Jag har känt mig glad och på gott humör", "I have felt cheerful and in good spirits"),
                ("Jag har känt mig lugn och avslappnad", "I have felt calm and relaxed"),
                ("Jag har känt mig aktiv och energisk", "I have felt active and vigorous"),
                ("Jag har vaknat pigg och utvilad", "I woke up feeling fresh and rested"),
                (
                    "Min vardag har varit fylld av saker som intresserar mig",
                    "My daily life has been filled with things that interest me",
                ),
            ],
            start=1,
        )
    ],
    "scoring": {
        "scores": [
            {"id": "raw", "items": [str(n) for n in range(1, 6)], "method": "sum"},
            {"id": "percent", "items": [str(n) for n in range(1, 6)], "method": "sum", "multiplier": 4},
        ],
        "bands": _bands(
            "percent",
            (
                0,
                28,
                "likely_depression",
                "Mycket lågt välbefinnande",
                "Very low well-being",
                "Tyder på depression; en bedömning rekommenderas.",
                "Suggests depression; an assessment is advised.",
            ),
            (
                29,
                50,
                "low",
                "Lågt välbefinnande",
                "Low well-being",
                "Lågt välbefinnande; screena för depression.",
                "Low well-being; screen for depression.",
            ),
            (51, 100, "good", "Gott välbefinnande", "Good well-being", "Gott välbefinnande.", "Good well-being."),
        ),
    },
    "alerts": [
        {
            "type": "score",
            "score": "percent",
            "operator": "<=",
            "value": 28,
            "message": {"sv": "WHO-5 ≤ 28: tecken på depression.", "en": "WHO-5 ≤ 28: signs of depression."},
        },
        {
            "type": "worsening",
            "score": "percent",
            "points": 10,
            "direction": "down",
            "message": {
                "sv": "WHO-5 har sjunkit med minst 10 procentenheter sedan start.",
                "en": "WHO-5 has fallen by at least 10 points since the start.",
            },
        },
    ],
}

_K10_TIME = _options(
    ("Inte någon gång", "None of the time"),
    ("Sällan", "A little of the time"),
    ("Ibland", "Some of the time"),
    ("För det mesta", "Most of the time"),
    ("Hela tiden", "All of the time"),
)
for _option in _K10_TIME:
    _option["value"] += 1  # K10 scores 1–5

K10 = {
    "code": "k10",
    "version": "1",
    "name": {"sv": "K10 – psykisk påfrestning", "en": "K10 – Kessler Psychological Distress Scale"},
    "languages": ["sv", "en"],
    "intro": {
        "sv": "Hur ofta under de senaste fyra veckorna har du känt dig …",
        "en": "During the last 4 weeks, about how often did you feel …",
    },
    "source": "Kessler et al. (2002), Psychol Med 32:959–76. Scores 10–50; bands after the Australian Bureau "
    "of Statistics (10–15, 16–21, 22–29, 30–50). Items 3 and 6 are skipped, and scored 1, when "
    "items 2 and 5 are answered 'none of the time'. Swedish wording translated for Fyren.",
    "licence": "Free to use.",
    "option_sets": {"time": _K10_TIME},
    "items": [
        _choice("1", "… trött utan någon särskild anledning?", "… tired out for no good reason?", "time"),
        _choice("2", "… nervös?", "… nervous?", "time"),
        _choice(
            "3",
            "… så nervös att ingenting kunde lugna dig?",
            "… so nervous that nothing could calm you down?",
            "time",
            enable_when=[{"question": "2", "operator": "!=", "answer": "0"}],
            value_when_disabled=1,
        ),
        _choice("4", "… hopplös?", "… hopeless?", "time"),
        _choice("5", "… rastlös?", "… restless or fidgety?", "time"),
        _choice(
            "6",
            "… så rastlös att du inte kunde sitta still?",
            "… so restless you could not sit still?",
            "time",
            enable_when=[{"question": "5", "operator": "!=", "answer": "0"}],
            value_when_disabled=1,
        ),
        _choice("7", "… nedstämd?", "… depressed?", "time"),
        _choice("8", "… att allt var en ansträngning?", "… that everything was an effort?", "time"),
        _choice(
            "9", "… så ledsen att ingenting kunde muntra upp dig?", "… so sad that nothing could cheer you up?", "time"
        ),
        _choice("10", "… värdelös?", "… worthless?", "time"),
    ],
    "scoring": {
        "scores": [{"id": "total", "items": [str(n) for n in range(1, 11)], "method": "sum", "max_missing": 1}],
        "bands": _bands(
            "total",
            (10, 15, "low", "Låg", "Low", "Låg psykisk påfrestning.", "Low psychological distress."),
            (16, 21, "moderate", "Måttlig", "Moderate", "Måttlig psykisk påfrestning.", "Moderate distress."),
            (22, 29, "high", "Hög", "High", "Hög psykisk påfrestning.", "High distress."),
            (30, 50, "very_high", "Mycket hög", "Very high", "Mycket hög psykisk påfrestning.", "Very high distress."),
        ),
    },
    "alerts": [
        {
            "type": "score",
            "score": "total",
            "operator": ">=",
            "value": 30,
            "message": {"sv": "K10 ≥ 30: mycket hög psykisk påfrestning.", "en": "K10 ≥ 30: very high distress."},
        }
    ],
}

LIBRARY = {d["code"]: d for d in (PHQ9, PHQ2, GAD7, AUDIT, AUDIT_C, MADRS_S, WHO5, K10)}
