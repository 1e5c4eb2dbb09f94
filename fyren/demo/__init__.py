"""Demo data, one module per domain (people, programs, care, …), loaded in
order by ``loader.load_demo_data`` (``manage.py load_demo_data``). A new app
adds its module here and one line to the loader; nothing else imports this."""
