from django.urls import path

from . import views_catalogue as catalogue
from . import views_design as design
from . import views_preview as preview

app_name = "programs"

urlpatterns = [
    path("design/", design.home, name="design_home"),
    path("design/new/", design.program_new, name="program_new"),
    path("design/import/", design.program_import, name="program_import"),
    path("design/programs/<int:program_id>/", design.program_detail, name="program_detail"),
    path("design/programs/<int:program_id>/new-version/", design.program_new_version, name="program_new_version"),
    path("design/programs/<int:program_id>/diff/", design.program_diff, name="program_diff"),
    path("design/versions/<int:version_id>/", design.version_edit, name="version_edit"),
    path("design/versions/<int:version_id>/add/<str:level>/", design.node_add, name="node_add"),
    path("design/versions/<int:version_id>/<str:level>/<int:node_id>/title/", design.node_title, name="node_title"),
    path(
        "design/versions/<int:version_id>/<str:level>/<int:node_id>/move/<str:direction>/",
        design.node_move,
        name="node_move",
    ),
    path("design/versions/<int:version_id>/<str:level>/<int:node_id>/delete/", design.node_delete, name="node_delete"),
    path("design/versions/<int:version_id>/steps/<int:step_id>/", design.step_edit, name="step_edit"),
    path("design/versions/<int:version_id>/steps/<int:step_id>/add/", design.element_add, name="element_add"),
    path("design/versions/<int:version_id>/elements/<int:element_id>/", design.element_save, name="element_save"),
    path("design/versions/<int:version_id>/submit/", design.version_submit, name="version_submit"),
    path("design/versions/<int:version_id>/package.zip", design.version_package, name="version_package"),
    path("design/versions/<int:version_id>/preview/", preview.preview_citizen, name="preview_citizen"),
    path("design/versions/<int:version_id>/preview/clinician/", preview.preview_clinician, name="preview_clinician"),
    path("design/media/<int:asset_id>/", design.media, name="media"),
    path("review/", catalogue.review_queue, name="review_queue"),
    path("review/versions/<int:version_id>/", catalogue.review_version, name="review_version"),
    path("review/versions/<int:version_id>/retire/", catalogue.retire, name="retire"),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("catalogue/<int:program_id>/", catalogue.catalogue_program, name="catalogue_program"),
    path("catalogue/<int:program_id>/adopt/", catalogue.adopt, name="adopt"),
    path("catalogue/<int:program_id>/copy/", catalogue.copy, name="copy"),
    path("catalogue/<int:program_id>/offer/", catalogue.offer, name="offer"),
]
