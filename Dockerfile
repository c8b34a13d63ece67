# Stockroom in one container: the Discord bot and its webhook server (python bot.py).
# Build: docker build -t stockroom .   Run: see docs/DEPLOYMENT.md (or compose.yaml).
FROM python:3.11-slim

# Secrets come from the environment (docker run --env-file .env, compose env_file). Pointing
# STOCKROOM_ENV_FILE at an optional secrets file stops bot.py from writing /app/.env on the
# first start: /app is not writable by the app user, only /app/data is.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    STOCKROOM_ENV_FILE=/run/secrets/stockroom.env

RUN groupadd --system --gid 10001 stockroom \
    && useradd --system --uid 10001 --gid stockroom --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin stockroom

WORKDIR /app

# Runtime dependencies only; requirements-dev.txt (tests, lint) stays out of the image.
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY . .

# SQLite (data/stockroom.sqlite3) and the generated stock key (data/stock.key) live here.
RUN mkdir -p /app/data && chown stockroom:stockroom /app/data && chmod 0700 /app/data
VOLUME ["/app/data"]

USER stockroom

# The webhook server (WEBHOOK_PORT, default 8080; the health check below assumes 8080).
EXPOSE 8080

# /health answers 200 when the database answers and the Discord gateway is connected, else
# 503 (urlopen raises, python exits 1). slim has no curl, so python checks it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/health', timeout=4)"]

# Exec form: python is PID 1 and gets the SIGTERM of `docker stop` (bot.py closes in order).
CMD ["python", "bot.py"]
