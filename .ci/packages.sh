# Sourced by .ci/test, .ci/bundle and .ci/demo: installs the Debian packages Dertien
# needs to build and run (once; later runs find them installed). chromium and
# chromium-driver run the window's page in Chromium's engine, as WebView2 does on
# Windows (tests/webview.rs); poppler-utils (pdftotext, pdffonts, pdfinfo) reads
# the PDF charts and decks back (tests/cli.rs); libreoffice-impress (without its
# recommends: 81 MB to fetch, about a minute to install) converts the PPTX
# deck to PDF headless, proving LibreOffice Impress reads every slide.
need=()
for package in build-essential pkg-config libwebkit2gtk-4.1-dev xvfb xauth webkit2gtk-driver chromium chromium-driver poppler-utils libreoffice-impress; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || need+=("$package")
done
# npx runs the Tauri bundler for .ci/bundle. Checked by command, not by
# package: a machine may have Node.js from elsewhere, with npm inside it.
command -v npx >/dev/null || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  as_root=()
  [ "$(id -u)" = 0 ] || as_root=(sudo)
  echo "installing ${need[*]}" >&2
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
