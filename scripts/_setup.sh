# Sourced by scripts/run and scripts/test: a virtual environment with the project installed, kept current.
# Reinstalls only when pyproject.toml changed since the last install (its hash is kept in the venv).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
STAMP="$VENV/.pyproject.sha256"

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    echo "Python 3.11 or newer is required (set PYTHON=/path/to/python3.11)" >&2
    return 1
}

if [ ! -x "$VENV/bin/python" ]; then
    PYTHON_FOR_VENV="$(find_python)"
    echo "creating $VENV with $PYTHON_FOR_VENV" >&2
    "$PYTHON_FOR_VENV" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
fi

WANTED="$("$VENV/bin/python" -c 'import hashlib; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest())')"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANTED" ]; then
    echo "installing the project and its dependencies into $VENV" >&2
    "$VENV/bin/python" -m pip install --quiet -e ".[dev,bench,test]"
    echo "$WANTED" >"$STAMP"
fi

export PATH="$VENV/bin:$PATH"
