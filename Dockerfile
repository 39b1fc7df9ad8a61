FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# WeasyPrint needs Pango; dossiers need a real CJK font; `manage.py backup` needs pg_dump (15, as compose).
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY . .
RUN pip install --no-cache-dir . && \
    DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=* ZHISHU_FIELD_KEYS=build ZHISHU_HASH_KEY=build ZHISHU_DOSSIER_KEY=build \
    python manage.py collectstatic --noinput
RUN useradd --system --home /app zhishu && mkdir -p /app/media && chown zhishu /app/media
USER zhishu
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
