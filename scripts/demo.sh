#!/usr/bin/env bash
# The README's demo: the bundled synthetic ENT export imported on a fresh local platform (moto, no
# Docker, no AWS account), then the same school a term later (arrivals, departures, class changes).
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=.elea-local/demo
UAI=0771234Y
rm -rf "$STATE"
echo "=== 0. Inscription de l'établissement : compte de gestion local et courriel d'activation"
.venv/bin/elea-import establishment add "$UAI" --dept 77 --basin 3 --name "Collège des Tilleuls (démo)" --state-dir "$STATE"
echo
echo "=== 1. Premier import de l'établissement $UAI"
.venv/bin/elea-import run tests/fixtures/sample/export.csv --uai "$UAI" --state-dir "$STATE"
echo
echo "=== 2. Un trimestre plus tard : arrivées, départs, changements de classe"
.venv/bin/elea-import run tests/fixtures/sample/export-changed.csv --uai "$UAI" --state-dir "$STATE"
echo
echo "Plateforme locale, rapports détaillés (CSV) et courriels envoyés (.eml, dans mail/) : $STATE/"
