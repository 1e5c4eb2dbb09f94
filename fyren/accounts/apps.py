from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fyren.accounts"
    label = "accounts"
