from fyren.questionnaires.tests.conftest import enrolled, phq9_raw  # noqa: F401
