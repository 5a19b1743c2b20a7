# advsim application image (used by docker-compose.yml for a shared installation).
FROM python:3.11-slim
# WeasyPrint (the printed documents) needs Pango; the templates use DejaVu fonts; the spelling aid
# Enchant with Hunspell's French and British English dictionaries; the customers' voices espeak-ng.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
        libenchant-2-2 hunspell-fr hunspell-en-gb espeak-ng \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY sim ./sim
COPY seed ./seed
COPY templates ./templates
COPY scenarios ./scenarios
RUN pip install --no-cache-dir -e .
ENV ADVSIM_DATA_DIR=/data
EXPOSE 8000
CMD ["sh", "-c", "advsim db upgrade && advsim serve --host 0.0.0.0 --port 8000 --workers ${ADVSIM_WORKERS:-2}"]
