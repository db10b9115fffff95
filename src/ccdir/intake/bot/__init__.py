"""`ccdir bot`: the registration bot. Turns form submissions into reviewable pull requests.

- `settings`: configuration from environment variables (`BotConfig.from_env`);
- `backends`: the one interface (`Backend`, `Session`) and the shared algorithm (`propose`);
- `gitremote` / `github`: the two backends (any git remote; GitHub's REST API);
- `safety`: origin, rate limit, body size;
- `app`: the Starlette ASGI application (`create_app`), run by uvicorn.
"""
