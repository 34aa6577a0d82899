#!/usr/bin/env python3
"""Convert openapi.yaml to the JSON that GET /openapi.json serves (run at build time)."""
import json
import sys

import yaml

with open(sys.argv[1], encoding="utf-8") as f:
    doc = yaml.safe_load(f)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
