from fyren.programs.diff import diff_documents, word_diff


def doc(**overrides):
    base = {
        "title": {"sv": "Oro", "en": "Worry"},
        "languages": ["sv", "en"],
        "kind": "treatment",
        "modules": [
            {
                "key": "m1",
                "title": {"sv": "Vecka 1"},
                "intro": {},
                "sections": [
                    {
                        "key": "s1",
                        "title": {},
                        "steps": [
                            {
                                "key": "p1",
                                "title": {"sv": "Läs"},
                                "condition": None,
                                "elements": [
                                    {
                                        "key": "e1",
                                        "kind": "text",
                                        "content": {"body": {"sv": "Hej och välkommen"}},
                                        "condition": None,
                                        "asset": None,
                                    },
                                    {
                                        "key": "e2",
                                        "kind": "checklist",
                                        "content": {"items": []},
                                        "condition": None,
                                        "asset": None,
                                    },
                                ],
                            },
                        ],
                    },
                ],
            }
        ],
    }
    base.update(overrides)
    return base


def test_word_diff_marks_deleted_and_inserted_words():
    assert word_diff("Hej och välkommen", "Hej och varmt välkommen") == [
        ("same", "Hej och"),
        ("ins", "varmt"),
        ("same", "välkommen"),
    ]


def test_identical_documents_have_no_changes():
    assert diff_documents(doc(), doc()) == ([], [])


def test_program_fields_and_edited_text_show_per_language():
    new = doc(title={"sv": "Oro och ångest", "en": "Worry"})
    new["modules"][0]["sections"][0]["steps"][0]["elements"][0]["content"]["body"]["sv"] = "Hej och varmt välkommen"
    program, nodes = diff_documents(doc(), new)
    assert [c.name for c in program] == ["title (sv)"]
    assert len(nodes) == 1 and nodes[0].key == "e1" and nodes[0].change == "changed"
    assert nodes[0].details[0].name == "content.body (sv)"


def test_added_removed_and_moved_content():
    new = doc()
    elements = new["modules"][0]["sections"][0]["steps"][0]["elements"]
    elements.reverse()
    elements.append({"key": "e3", "kind": "text", "content": {"body": {"sv": "Ny"}}, "condition": None, "asset": None})
    old = doc()
    old["modules"][0]["sections"][0]["steps"][0]["elements"].append(
        {"key": "e0", "kind": "text", "content": {"body": {"sv": "Borttagen"}}, "condition": None, "asset": None}
    )
    _, nodes = diff_documents(old, new)
    by_key = {n.key: n.change for n in nodes}
    assert by_key == {"e2": "moved", "e1": "moved", "e3": "added", "e0": "removed"}
