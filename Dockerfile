# One image for the API, the workers and the one-shot migration; configured only through environment variables.
# The product alone: `pip install .` takes no extras, and .dockerignore keeps devstack/, bench/ and tests/ out.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY . .
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /app ansinh \
    && mkdir -p /var/lib/ansinh/photos \
    && chown ansinh /var/lib/ansinh/photos

USER ansinh
ENV ENVIRONMENT=production \
    PHOTO_DIR=/var/lib/ansinh/photos
EXPOSE 8000
CMD ["uvicorn", "--factory", "server:serve", "--no-proxy-headers", "--host", "0.0.0.0", "--port", "8000"]
