#!/usr/bin/env bash
# The system packages seatdesk needs on Debian or Ubuntu, installed with apt-get: the
# libraries Qt 6 (PySide6 and QtWebEngine wheels) loads, fonts for Chinese text, and
# Python's venv module. pip brings everything else, PostgreSQL included (pgserver).
#
#   bash scripts/install_system_packages.sh                  # a desktop or workstation
#   bash scripts/install_system_packages.sh --test-servers   # + Debian's PostgreSQL and
#                                                            #   Xvfb (what .ci/run uses)
#   bash scripts/install_system_packages.sh --report-tools   # + LibreOffice Calc (headless)
#                                                            #   and poppler: workbooks to
#                                                            #   PDF and PNG (.ci/run too)
#   bash scripts/install_system_packages.sh --list [...]     # print the names, install nothing
#
# Idempotent: packages already installed are left alone, and with none missing the
# script neither asks for sudo nor touches apt. It runs apt-get as root, through sudo
# when it is not run as root. This is the one list: .ci/run calls this script.
set -euo pipefail

ME=install_system_packages

# Qt 6 from the PySide6 wheels: offscreen and xcb platforms, OpenGL/EGL, and the
# libraries QtWebEngine (the map) loads; fonts-noto-cjk draws the Chinese interface.
DESKTOP_PACKAGES=(
    python3-venv fonts-noto-cjk
    libegl1 libgl1 libopengl0 libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3
    libfontconfig1 libnss3 libnspr4 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxi6
    libxkbfile1 libasound2 libxshmfence1 libgbm1 libdrm2 libx11-xcb1
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
    libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-randr0 libxcb-xfixes0 libxcb-sync1
    libxcb-shm0 libxcb-render0 libxcb-glx0 libxcb-util1
)
# The tests against a shared server (Debian's PostgreSQL) and a virtual screen for
# tests that want a real window.
TEST_SERVER_PACKAGES=(postgresql xvfb xauth)
# Proof that an exported workbook opens outside Python, and its pictures for docs/:
# LibreOffice Calc without its GUI converts .xlsx to PDF (soffice --headless), poppler
# checks the PDF (pdfinfo) and draws its pages (pdftoppm). Not needed to run the desk.
REPORT_TOOL_PACKAGES=(libreoffice-calc-nogui poppler-utils)

APT_OPTS=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)

say() { printf '%s: %s\n' "$ME" "$*"; }
die() {
    printf '%s: %s\n' "$ME" "$*" >&2
    exit 1
}

list_only=0
packages=("${DESKTOP_PACKAGES[@]}")
for arg in "$@"; do
    case $arg in
        --test-servers) packages+=("${TEST_SERVER_PACKAGES[@]}") ;;
        --report-tools) packages+=("${REPORT_TOOL_PACKAGES[@]}") ;;
        --list) list_only=1 ;;
        -h | --help)
            sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
            exit 0
            ;;
        *) die "unknown option $arg (use --test-servers, --report-tools, --list or --help)." ;;
    esac
done

if ((list_only)); then
    printf '%s\n' "${packages[@]}"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
    die "this system has no apt-get, and this script installs on Debian or Ubuntu only;" \
        "install the equivalents of these Debian packages with your system's package" \
        "manager: ${packages[*]}."
fi

# Ubuntu 24.04 and Debian 13 renamed some libraries with a t64 suffix (64-bit time_t)
# and keep the old name only as a virtual package: either name counts as installed.
installed() {
    local name
    for name in "$1" "${1}t64"; do
        [[ $(dpkg-query -W -f='${Status}' "$name" 2>/dev/null) == "install ok installed" ]] \
            && return 0
    done
    return 1
}

missing=()
for pkg in "${packages[@]}"; do
    installed "$pkg" || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
    say "all ${#packages[@]} system packages seatdesk needs are installed; nothing to do."
    exit 0
fi

as_root=()
if ((EUID != 0)); then
    command -v sudo >/dev/null 2>&1 \
        || die "installing packages needs root: run this script as root (there is no sudo here)."
    as_root=(sudo)
fi

say "installing ${#missing[@]} of the ${#packages[@]} system packages seatdesk needs:" \
    "${missing[*]}"
for attempt in 1 2 3; do
    if "${as_root[@]}" apt-get "${APT_OPTS[@]}" update -qq; then break; fi
    ((attempt < 3)) || die "apt-get update failed 3 times; check the network and the apt sources."
    say "apt-get update failed; retrying in 10 s"
    sleep 10
done

# The name this release installs: the t64 one where only that has a candidate.
candidate() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}'; }
names=()
for pkg in "${missing[@]}"; do
    c=$(candidate "$pkg")
    if [[ -z $c || $c == "(none)" ]]; then
        c64=$(candidate "${pkg}t64")
        if [[ -n $c64 && $c64 != "(none)" ]]; then
            pkg=${pkg}t64
        fi
    fi
    names+=("$pkg")
done

"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get "${APT_OPTS[@]}" install -y -q --no-install-recommends "${names[@]}" \
    || die "apt-get could not install: ${names[*]} (its message is above)."
say "done: ${names[*]}"
