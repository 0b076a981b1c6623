"""The web app: pages and a JSON API over the same engine. Start with `app.create_app`."""
