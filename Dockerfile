# One Streamlit worker per container: `docker build -t nn-playground .` then
# `docker run -p 8501:8501 nn-playground`. Several of them behind HAProxy with sticky sessions:
# deploy/compose.yaml; on a Kubernetes cluster: deploy/kubernetes.yaml.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The runtime dependencies only (the same file Community Cloud installs).
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

# The app, owned by root and read-only for the user that runs it.
COPY .streamlit/ .streamlit/
COPY app.py ./
COPY pages/ pages/
COPY playground/ playground/
COPY ui/ ui/
COPY static/ static/
# The user that runs the app owns nothing here but its home: the app writes nothing into its
# folder (the charts' plotly.min.js is served from the installed plotly package).
RUN useradd --no-log-init --create-home --uid 10001 --user-group playground
USER 10001:10001

EXPOSE 8501
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u, sys; sys.exit(u.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]

# One process, one GIL (about 1.15 cores at most): give each container about one core and run
# more containers for more students.
CMD ["python", "-m", "streamlit", "run", "app.py", \
     "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true", \
     "--server.fileWatcherType=none", "--browser.gatherUsageStats=false"]
