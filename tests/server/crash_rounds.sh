#!/usr/bin/env bash
# crash_rounds.sh — kill -9 at random moments during write bursts; every acknowledged write must survive
# (SPEC §9: "no acknowledged write is lost, including on kill -9"). One data folder lives through all rounds.
# A round:
#   1. Concurrent writers (curl loops) create customers — each POST with an Idempotency-Key — and PATCH some
#      of their own customers with the rev they last saw. A writer logs what it sends before sending it and
#      what the server acknowledged (2xx, complete response: the id and rev) after.
#   2. After a random 50-700 ms the server gets SIGKILL mid-burst.
#   3. On the crashed files, server down: `crm-server check` (integrity_check, foreign_key_check, backups,
#      statistics against a count from the records) and, when the sqlite shell is built, a full
#      PRAGMA integrity_check, foreign_key_check and FTS5 'integrity-check' of both search indexes.
#   4. The server starts again on the same folder; a verifier compares every customer in the database
#      with the logs: every acknowledged create present once with the exact fields sent, every customer's
#      notes/level/rev those of its last acknowledged update — or of the one update that was sent and not
#      answered (in flight at the kill: present or absent, both are fine, and what was found is recorded,
#      so it may not change its mind later) — no row that was never sent; GET by id answers each of this
#      round's acknowledged writes as the list does, and the full-text search (GET /customers?q=) finds
#      three of this round's acknowledged creates.
#   5. Creates that were in flight at the kill are sent again with the same Idempotency-Key and body: the
#      answer must be the record found in step 4 (Idempotency-Replayed) or, if none was, a new one; a few
#      acknowledged creates are sent again too and must replay the same id. That server serves the next round.
#
#   tests/server/crash_rounds.sh CRM_SERVER [ROUNDS]     (ROUNDS: else $KEHU_CRASH_ROUNDS, else 8 — the CI run)
#
# Environment: KEHU_CRASH_WRITERS (4), KEHU_CRASH_SEED (the kill delays), KEHU_SQLITE3 (default: kehu-sqlite3
# in the build folder above CRM_SERVER; skipped when absent), KEHU_CRASH_KEEP=1 keeps the work folder.
# Needs bash, curl and python3 (standard library only: the verifier compares JSON). Ends with
# "N rounds, A acknowledged writes checked, 0 lost"; exits 1 naming what was lost or found damaged.
set -u
bin=${1:?usage: crash_rounds.sh CRM_SERVER [ROUNDS]}
rounds=${2:-${KEHU_CRASH_ROUNDS:-8}}
writers=${KEHU_CRASH_WRITERS:-4}
[[ -n ${KEHU_CRASH_SEED:-} ]] && RANDOM=$KEHU_CRASH_SEED
sqlite_shell=${KEHU_SQLITE3:-$(dirname "$(dirname "$bin")")/kehu-sqlite3}
[[ -x $sqlite_shell ]] || sqlite_shell=""
command -v curl >/dev/null && command -v python3 >/dev/null || { echo "crash_rounds.sh: needs curl and python3" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/kehu-crash.XXXXXX")
db=$work/data/kehu.db
mkdir -p "$work/log" "$work/state"
server_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill -9 "$server_pid" 2>/dev/null
  if [[ ${KEHU_CRASH_KEEP:-0} = 1 || ${failed_round:-0} != 0 ]]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() { echo "FAILED: $*"; exit 1; }

# ---- the server -------------------------------------------------------------------------------------------
port="" token=""
start_server() { # round; sets server_pid, port, token
  local log=$work/serve-$1.log
  : > "$log"  # before the server opens it, so the first look for its port finds a file
  KEHU_ADMIN_PASSWORD=crash-rounds-admin "$bin" serve --db "$db" --port 0 --host 127.0.0.1 > "$log" 2>&1 &
  server_pid=$!
  port=""
  for _ in $(seq 300); do
    port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$log")
    [[ -n $port ]] && curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { failed_round=$1; cat "$log"; fail "round $1: the server did not start after the crash"; }
    port=""; sleep 0.1
  done
  [[ -n $port ]] || { failed_round=$1; cat "$log"; fail "round $1: the server did not answer /healthz in 30 s"; }
  local out
  out=$(curl -s -X POST "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"crash-rounds-admin"}')
  [[ $out =~ \"token\":\"([^\"]+)\" ]] || { failed_round=$1; fail "round $1: admin cannot sign in after the crash: $out"; }
  token=${BASH_REMATCH[1]}
}

# ---- a writer ---------------------------------------------------------------------------------------------
# Log lines (tab-separated, one file per writer, in the order things happened; the verifier adds V and X):
#   R S C key body | R A C key id rev           a create sent | acknowledged
#   R S U id rev fields | R A U id rev fields   an update sent (with the rev it expects) | acknowledged (new rev)
#   R V C key id rev | R X C key                an unanswered create found present | absent after the crash
#   R V U id rev fields                         an unanswered update found to have landed
#   R E status what                             an answer that is neither 2xx nor a lost connection
words=(华夏科技 天府软件 鑫源贸易 长江物流 东方电子 海川机械 金桥建材 蓝天航空 瑞丰食品 恒通医药)
levels=(A B C D)
writer() { # round writer port token
  local r=$1 w=$2 url="http://127.0.0.1:$3/api/v1/customers" auth="Authorization: Bearer $4"
  local log=$work/log/w$w.log n=0 k id rev body fields key word out rc code
  local -a own_id=() own_rev=()
  while IFS=$'\t' read -r id rev; do own_id+=("$id"); own_rev+=("$rev"); done < "$work/state/w$w"
  while :; do
    n=$((n + 1))
    if ((${#own_id[@]} > 0 && RANDOM % 3 == 0)); then
      k=$((RANDOM % ${#own_id[@]}))
      id=${own_id[k]}
      fields=$(printf '{"notes":"更新 r%03d w%d n%04d","level":"%s"}' "$r" "$w" "$n" "${levels[RANDOM % 4]}")
      printf '%d\tS\tU\t%s\t%s\t%s\n' "$r" "$id" "${own_rev[k]}" "$fields" >> "$log"
      out=$(curl -s -m 10 -w '\n%{http_code}' -X PATCH "$url/$id" -H "$auth" -H 'Content-Type: application/json' \
        -d "{\"rev\":${own_rev[k]},${fields:1}")
      rc=$? code=${out##*$'\n'} out=${out%$'\n'*}
      ((rc == 0)) || break  # no complete answer: the server is gone, this writer's burst is over
      [[ $code = 200 && $out =~ \"rev\":([0-9]+) ]] || { printf '%d\tE\t%s\tPATCH %s: %s\n' "$r" "$code" "$id" "$out" >> "$log"; break; }
      own_rev[k]=${BASH_REMATCH[1]}
      printf '%d\tA\tU\t%s\t%s\t%s\n' "$r" "$id" "${own_rev[k]}" "$fields" >> "$log"
    else
      word=${words[RANDOM % ${#words[@]}]}
      key=$(printf 'crash-r%03d-w%d-n%04d' "$r" "$w" "$n")
      body=$(printf '{"name":"崩溃测试%s r%03dw%dn%04d","type":"enterprise","level":"%s","region":"华东","tags":["崩溃测试","w%d"],"notes":"第%d轮 写入者%d 第%d条"}' \
        "$word" "$r" "$w" "$n" "${levels[RANDOM % 4]}" "$w" "$r" "$w" "$n")
      printf '%d\tS\tC\t%s\t%s\n' "$r" "$key" "$body" >> "$log"
      out=$(curl -s -m 10 -w '\n%{http_code}' -X POST "$url" -H "$auth" -H 'Content-Type: application/json' \
        -H "Idempotency-Key: $key" -d "$body")
      rc=$? code=${out##*$'\n'} out=${out%$'\n'*}
      ((rc == 0)) || break
      [[ $code = 201 && $out =~ \"id\":([0-9]+) ]] || { printf '%d\tE\t%s\tPOST %s: %s\n' "$r" "$code" "$key" "$out" >> "$log"; break; }
      id=${BASH_REMATCH[1]}
      [[ $out =~ \"rev\":([0-9]+) ]] && rev=${BASH_REMATCH[1]}
      own_id+=("$id") own_rev+=("$rev")
      printf '%d\tA\tC\t%s\t%s\t%s\n' "$r" "$key" "$id" "$rev" >> "$log"
    fi
  done
}

# ---- the verifier -----------------------------------------------------------------------------------------
cat > "$work/verify.py" <<'PYTHON'
# verify.py PORT TOKEN WORK ROUND WRITERS — the database after a crash against the writers' logs (see crash_rounds.sh).
import json, os, random, sys, urllib.parse, urllib.request

port, token, work, rnd, writers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
base = f"http://127.0.0.1:{port}/api/v1/customers"
compared = ("name", "type", "level", "region", "tags", "notes")
failures = []

def get(url):
    req = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read().decode())

# ---- what the logs say the database must hold
creates = {}  # key -> {"raw" body text, "body", "writer", "round", "id" (None: never answered nor found), "absent"}
by_name = {}  # name -> key
cust = {}     # id -> {"key", "expect" fields, "rev", "pending" [(rev sent, fields)] unanswered updates, "round"}
acked = acked_now = 0
for w in range(1, writers + 1):
    with open(os.path.join(work, "log", f"w{w}.log"), encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            r, what = int(p[0]), p[1]
            if what == "E":
                if r == rnd: failures.append(f"writer {w} got an unexpected answer during the burst: {p[2]} {p[3]}")
                continue
            if what == "A":
                acked += 1
                acked_now += r == rnd
            if p[2] == "C":
                key = p[3]
                if what == "S":
                    if key not in creates:  # a retry sends the same body again
                        creates[key] = {"raw": p[4], "body": json.loads(p[4]), "writer": w, "round": r, "id": None, "absent": False}
                        by_name[creates[key]["body"]["name"]] = key
                    continue
                c = creates[key]
                if what == "X":
                    c["absent"] = True
                elif c["id"] is None:  # the first answer or sighting makes the record; a replay changes nothing
                    c["id"], c["absent"] = int(p[4]), False
                    cust[c["id"]] = {"key": key, "expect": dict(c["body"]), "rev": int(p[5]), "pending": [], "round": r}
            else:
                e = cust[int(p[3])]
                if what == "S":
                    e["pending"].append((int(p[4]), json.loads(p[5])))
                elif what == "X":
                    e["pending"] = []
                else:  # A or V: what the database holds from now on
                    e["expect"].update(json.loads(p[5])); e["rev"] = int(p[4]); e["pending"] = []; e["round"] = r

# ---- what it holds: every customer, in id order
rows, cursor = [], None
while True:
    q = {"limit": "500", "sort": "id"}
    if cursor: q["cursor"] = cursor
    page = get(base + "?" + urllib.parse.urlencode(q))
    rows += page["items"]
    cursor = page.get("next_cursor")
    if not cursor: break

found_ids, found_names = {}, set()
log_lines = {w: [] for w in range(1, writers + 1)}  # V and X lines: what was found of the unanswered writes
retry = []                                          # (writer, key, id expected from a replay; 0: a new record)
landed_c = landed_u = missed_u = 0
for row in rows:
    cid, name = row["id"], row.get("name")
    key = by_name.get(name)
    if key is None:
        failures.append(f"customer {cid} ({name!r}) was never sent"); continue
    if name in found_names:
        failures.append(f"customer {name!r} is in the database twice (id {cid})"); continue
    found_names.add(name)
    found_ids[cid] = row
    c = creates[key]
    if c["id"] is None:
        if c["absent"]:
            failures.append(f"customer {cid} ({key}) appeared after a restart had found it absent"); continue
        # An unanswered create that committed before the kill: the record from now on.
        c["id"] = cid
        cust[cid] = {"key": key, "expect": dict(c["body"]), "rev": row["rev"], "pending": [], "round": rnd}
        log_lines[c["writer"]].append(f"{rnd}\tV\tC\t{key}\t{cid}\t{row['rev']}")
        retry.append((c["writer"], key, cid))
        landed_c += 1
        continue
    if c["id"] != cid:
        failures.append(f"customer {key} was acknowledged as id {c['id']} but is in the database as id {cid}"); continue
    e = cust[cid]
    actual = {k: row.get(k) for k in compared}
    matches = lambda want: all(actual[k] == v for k, v in want.items() if k in compared)
    if matches(e["expect"]) and row["rev"] == e["rev"]:
        if e["pending"]:
            log_lines[c["writer"]].append(f"{rnd}\tX\tU\t{cid}")
            missed_u += 1
        continue
    for sent_rev, fields in e["pending"]:
        want = {**e["expect"], **fields}
        if sent_rev == e["rev"] and row["rev"] > e["rev"] and matches(want):
            # An unanswered update that committed before the kill.
            e["expect"], e["rev"], e["pending"] = want, row["rev"], []
            log_lines[c["writer"]].append(f"{rnd}\tV\tU\t{cid}\t{row['rev']}\t{json.dumps(fields, ensure_ascii=False)}")
            landed_u += 1
            break
    else:
        diff = {k: {"found": actual[k], "acknowledged": v} for k, v in e["expect"].items() if k in compared and actual[k] != v}
        failures.append(f"LOST: customer {cid} ({key}) holds rev {row['rev']}, acknowledged rev {e['rev']} "
                        f"(round {e['round']}); differing fields: {json.dumps(diff, ensure_ascii=False)}")

for cid, e in cust.items():
    if cid not in found_ids:
        failures.append(f"LOST: customer {cid} ({e['key']}), acknowledged in round {e['round']}, is not in the database")
missed_c = 0
for key, c in creates.items():
    if c["id"] is None and not c["absent"]:
        # Sent, never answered, not in the database: it died with the server, which is allowed.
        log_lines[c["writer"]].append(f"{rnd}\tX\tC\t{key}")
        retry.append((c["writer"], key, 0))
        missed_c += 1
# A few acknowledged creates are sent again too: each must replay its first answer.
answered = [k for k, c in creates.items() if c["id"] in found_ids and c["round"] < rnd]
retry += [(creates[k]["writer"], k, creates[k]["id"]) for k in random.sample(answered, min(2, len(answered)))]

# ---- GET by id: this round's acknowledged writes; the search finds a few of this round's creates
for cid, e in cust.items():
    if e["round"] != rnd or cid not in found_ids: continue
    try:
        one = get(f"{base}/{cid}")
        if one != found_ids[cid]: failures.append(f"GET customer {cid} differs from its row in the list")
    except Exception as ex:  # noqa: BLE001 — reported, whatever it is
        failures.append(f"GET customer {cid}: {ex}")
made_now = [c for c in creates.values() if c["round"] == rnd and c["id"] in found_ids]
for c in random.sample(made_now, min(3, len(made_now))):
    name = c["body"]["name"]                     # 崩溃测试华夏科技 r012w3n0042
    q = f"{name[6:8]} {name.split(' ')[1]}"      # 科技 r012w3n0042: a 2-character Chinese term and a Latin one
    hits = get(base + "?" + urllib.parse.urlencode({"q": q, "limit": "50"}))["items"]
    if c["id"] not in [h["id"] for h in hits]:
        failures.append(f"the search q={q!r} does not find customer {c['id']} ({name}) after the crash")

for w, lines in log_lines.items():
    if lines:
        with open(os.path.join(work, "log", f"w{w}.log"), "a", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
for w in range(1, writers + 1):  # for the next writers: the customers each owns, at the rev the database holds
    with open(os.path.join(work, "state", f"w{w}"), "w") as f:
        f.writelines(f"{cid}\t{e['rev']}\n" for cid, e in cust.items() if creates[e["key"]]["writer"] == w)
with open(os.path.join(work, "retry"), "w", encoding="utf-8") as f:
    f.writelines(f"{w}\t{key}\t{cid}\t{creates[key]['raw']}\n" for w, key, cid in retry)
with open(os.path.join(work, "counts"), "a") as f:
    f.write(f"{rnd} {acked} {acked_now} {len(rows)} {landed_c} {landed_c + missed_c} {landed_u} {landed_u + missed_u}\n")
print(f"{len(rows)} customers; {acked_now} writes acknowledged this round, {acked} in all; unanswered at the kill: "
      f"{landed_c} of {landed_c + missed_c} creates and {landed_u} of {landed_u + missed_u} updates had committed")
for x in failures: print("FAILED:", x)
sys.exit(1 if failures else 0)
PYTHON

# ---- the checks on the crashed files (server down) --------------------------------------------------------
check_files() { # round
  local out
  if ! out=$("$bin" check --db "$db" 2>&1); then
    echo "$out"; return 1
  fi
  [[ -z $sqlite_shell ]] && return 0
  out=$("$sqlite_shell" "$db" "PRAGMA integrity_check; PRAGMA foreign_key_check;
    INSERT INTO customers_tri(customers_tri) VALUES('integrity-check');
    INSERT INTO customers_ngram(customers_ngram) VALUES('integrity-check');" 2>&1)
  [[ $out = ok ]] || { echo "kehu-sqlite3 on the crashed database: $out"; return 1; }
}

# ---- the retries: unanswered creates, and a few answered ones, with the same Idempotency-Key and body ----
send_again() { # round
  local r=$1 w key want body out rc code id replayed
  while IFS=$'\t' read -r w key want body; do
    printf '%d\tS\tC\t%s\t%s\n' "$r" "$key" "$body" >> "$work/log/w$w.log"
    out=$(curl -s -m 10 -D "$work/headers" -w '\n%{http_code}' -X POST "http://127.0.0.1:$port/api/v1/customers" \
      -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -H "Idempotency-Key: $key" -d "$body")
    rc=$? code=${out##*$'\n'} out=${out%$'\n'*}
    [[ $rc = 0 && $code = 201 && $out =~ \"id\":([0-9]+) ]] || { echo "FAILED: sending $key again: $code $out"; return 1; }
    id=${BASH_REMATCH[1]}
    grep -qi '^Idempotency-Replayed: true' "$work/headers" && replayed=1 || replayed=0
    if [[ $want != 0 ]] && [[ $replayed = 0 || $id != "$want" ]]; then
      echo "FAILED: $key sent again with its Idempotency-Key gave id $id (replayed: $replayed), not the replay of $want"; return 1
    fi
    if [[ $want = 0 && $replayed = 1 ]]; then
      echo "FAILED: $key was not in the database after the crash, yet sent again it replays a stored answer (id $id)"; return 1
    fi
    [[ $out =~ \"rev\":([0-9]+) ]]
    printf '%d\tA\tC\t%s\t%s\t%s\n' "$r" "$key" "$id" "${BASH_REMATCH[1]}" >> "$work/log/w$w.log"
  done < "$work/retry"
}

verify() { # round what; sets said, or names what was lost and exits 1
  said=$(python3 "$work/verify.py" "$port" "$token" "$work" "$1" "$writers") && return 0
  failed_round=$1
  echo "$said"
  echo "$(($1 > rounds ? rounds : $1)) rounds, $(tail -1 "$work/counts" 2>/dev/null | cut -d' ' -f2) acknowledged writes checked, $(grep -c '^FAILED: LOST' <<<"$said") lost"
  fail "round $2: $(grep -c '^FAILED' <<<"$said") problems"
}

# ---- the rounds -------------------------------------------------------------------------------------------
for ((w = 1; w <= writers; ++w)); do : > "$work/log/w$w.log"; : > "$work/state/w$w"; done
echo "crash_rounds: $rounds rounds, $writers writers, database $db${sqlite_shell:+, FTS checked with $sqlite_shell}"
began=$(date +%s)
start_server 0
for ((round = 1; round <= rounds; ++round)); do
  pids=()
  for ((w = 1; w <= writers; ++w)); do writer "$round" "$w" "$port" "$token" & pids+=($!); done
  ms=$((50 + RANDOM % 651))
  sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
  kill -9 "$server_pid"
  wait "$server_pid" 2>/dev/null
  server_pid=""
  wait "${pids[@]}"
  if ! damage=$(check_files "$round"); then failed_round=$round; echo "$damage"; fail "round $round: the database is damaged after kill -9 at $ms ms"; fi
  start_server "$round"
  verify "$round" "$round (kill at $ms ms)"
  echo "round $round: killed at $ms ms; $said"
  send_again "$round" || { failed_round=$round; fail "round $round: a retry with an Idempotency-Key"; }
done
# The writes of the last retries are checked after one more crash, with no burst.
kill -9 "$server_pid"; wait "$server_pid" 2>/dev/null; server_pid=""
check_files final || { failed_round=final; fail "the database is damaged after the last kill -9"; }
start_server final
verify $((rounds + 1)) "after the last kill"
kill "$server_pid"; wait "$server_pid" 2>/dev/null; server_pid=""
acked_all=$(tail -1 "$work/counts" | cut -d' ' -f2)
echo "crash_rounds: $(($(date +%s) - began)) s; unanswered writes at the kills that had committed:" \
  "$(awk '{c += $5; cn += $6; u += $7; un += $8} END {print c " of " cn " creates, " u " of " un " updates"}' "$work/counts")"
echo "$rounds rounds, $acked_all acknowledged writes checked, 0 lost"
