#!/usr/bin/env bash
# The crm-server command line as an operator uses it: --version, first start with and without
# KEHU_ADMIN_PASSWORD, `user add|passwd|list` with passwords on stdin, bad arguments. Real binary,
# real database file, real HTTP over loopback (curl).
set -u
bin=$1
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$work"' EXIT
passed=0 failed=0
check() { # description, command...
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $what"; fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start() { # db port [env...] ; waits for /healthz
  local db=$1 port=$2; shift 2
  env "$@" "$bin" serve --db "$db" --port "$port" --host 127.0.0.1 > "$work/serve-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0; sleep 0.1; done
  echo "server did not start:"; cat "$work/serve-$port.log"; return 1
}
login_status() { # port user password
  curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$1/api/v1/auth/login" \
    -H 'Content-Type: application/json' -d "{\"username\":\"$2\",\"password\":\"$3\"}"
}

check "--version names the program, SQLite and the schema" \
  bash -c "'$bin' --version | grep -Eq '^crm-server [0-9.]+ \(SQLite 3\.[0-9.]+, schema [0-9]+\)$'"
check "no arguments prints usage and exits 2" bash -c "'$bin' >/dev/null 2>&1; [ \$? = 2 ]"

# First start with the password from the environment.
p1=$(free_port)
start "$work/a/kehu.db" "$p1" KEHU_ADMIN_PASSWORD=first-admin-pw || exit 1
check "the data folder and database were created" test -f "$work/a/kehu.db"
check "admin signs in with KEHU_ADMIN_PASSWORD" [ "$(login_status "$p1" admin first-admin-pw)" = 200 ]
check "the environment password is not printed" bash -c "! grep -q first-admin-pw '$work/serve-$p1.log'"

# First start without it: a random password, printed once.
p2=$(free_port)
start "$work/b/kehu.db" "$p2" KEHU_ADMIN_PASSWORD= || exit 1
generated=$(sed -n "s/.*created user 'admin' with password: \([^ ]*\) .*/\1/p" "$work/serve-$p2.log")
check "a random admin password was printed" [ -n "$generated" ]
check "the printed password works" [ "$(login_status "$p2" admin "$generated")" = 200 ]
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null
start "$work/b/kehu.db" "$p2" KEHU_ADMIN_PASSWORD= || exit 1
check "a second start prints no password" bash -c "! grep -q 'created user' '$work/serve-$p2.log'"

# user add / list / passwd against the live database (WAL lets the CLI write beside the server).
check "user add reads the password from stdin" \
  bash -c "echo 'sales-pass-1' | '$bin' user add xiaoming --role sales --name 小明 --db '$work/b/kehu.db' | grep -q 'added user xiaoming'"
check "the new user signs in" [ "$(login_status "$p2" xiaoming sales-pass-1)" = 200 ]
check "user list shows the user and role" bash -c "'$bin' user list --db '$work/b/kehu.db' | grep -E 'xiaoming +sales +yes +小明' >/dev/null"
check "a bad role is refused with the reason" \
  bash -c "echo 'sales-pass-1' | '$bin' user add xiaohong --role boss --db '$work/b/kehu.db' 2>&1 | grep -q 'role must be one of'"
check "a short password is refused" \
  bash -c "echo 'short' | '$bin' user add xiaohong --role sales --db '$work/b/kehu.db' 2>&1 | grep -q 'at least 8'"
check "a duplicate username is refused" \
  bash -c "echo 'another-pass' | '$bin' user add XiaoMing --role sales --db '$work/b/kehu.db' 2>&1 | grep -q 'taken'"
check "user passwd changes the password" \
  bash -c "echo 'changed-pass-2' | '$bin' user passwd xiaoming --db '$work/b/kehu.db' | grep -q 'password changed'"
check "the old password no longer works" [ "$(login_status "$p2" xiaoming sales-pass-1)" = 401 ]
check "the new password works" [ "$(login_status "$p2" xiaoming changed-pass-2)" = 200 ]
check "passwd for an unknown user fails" \
  bash -c "echo 'whatever-pass' | '$bin' user passwd nobody --db '$work/b/kehu.db' 2>&1 | grep -q 'no user named nobody'"
check "serve refuses a bad port" bash -c "'$bin' serve --port 99999 --db '$work/c.db' >/dev/null 2>&1; [ \$? = 2 ]"
check "serve refuses a trusted proxy that is not an address" bash -c "'$bin' serve --trusted-proxy my-proxy --db '$work/c.db' 2>&1 | grep -q 'not my-proxy'"
check "serve refuses a certificate it cannot read, naming it" bash -c "timeout 10 '$bin' serve --port 0 --tls-cert '$work/none.pem' --tls-key '$work/none.key' --db '$work/c.db' 2>&1 | grep -q 'none.pem'"
check "serve refuses a certificate without its key, before making the data folder" \
  bash -c "timeout 10 '$bin' serve --port 0 --tls-cert '$work/none.pem' --db '$work/tls-only/kehu.db' 2>&1 | grep -q 'go together' && [ ! -e '$work/tls-only' ]"
check "serve refuses a port in use" bash -c "timeout 10 '$bin' serve --port $p2 --host 127.0.0.1 --db '$work/d.db' 2>&1 | grep -q 'cannot listen'"

# check: the statistics against a count from the records, beside the running server.
check "check finds the statistics exact" bash -c "'$bin' check --db '$work/b/kehu.db' | grep -q 'statistics: exact'"
python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(\"INSERT INTO stat_sales_month VALUES ('2026-01', 'CNY', 1, 2, 300)\"); c.commit()" "$work/b/kehu.db"
check "check names a figure no record makes, and exits 1" \
  bash -c "'$bin' check --db '$work/b/kehu.db' > '$work/check.out'; [ \$? = 1 ] && grep -q 'stat_sales_month \[2026-01, CNY\]: stored \[1, 2, 300\], counted nothing' '$work/check.out'"
check "check --repair counts again and is exact after" \
  bash -c "'$bin' check --repair --db '$work/b/kehu.db' | grep -q 'now exact' && '$bin' check --db '$work/b/kehu.db' | grep -q 'statistics: exact'"
check "the server still answers after the repair" [ "$(login_status "$p2" xiaoming changed-pass-2)" = 200 ]
check "check refuses an unknown option with usage, exit 2" bash -c "'$bin' check --fix --db '$work/b/kehu.db' 2>&1 | grep -q 'usage: crm-server check' && [ \${PIPESTATUS[0]} = 2 ]"
check "check on a missing file says so and makes none" \
  bash -c "'$bin' check --db '$work/none.db' 2>&1 | grep -q 'no database at'; [ ! -e '$work/none.db' ]"

# backup / backups / restore: beside the running server, then restore with it stopped.
check "the running server backed up its database when it started (schedule: at once when there is none)" \
  bash -c "ls '$work/b/backups' | grep -q 'full.db$'"
full=$("$bin" backup --db "$work/b/kehu.db" | sed -n 's/^backup \(kehu-[0-9-]*-full[-0-9]*\) written to .*/\1/p')
check "backup writes a full backup beside the database" test -s "$work/b/backups/$full.db"
opened=$(sqlite3 -readonly "$work/b/backups/$full.db" "PRAGMA integrity_check; SELECT count(*) FROM users WHERE username = 'xiaoming'" | tr '\n' ' ')
check "the full backup opens in sqlite3 and is whole" [ "$opened" = "ok 1 " ]
check "a backup file is readable by the server's account only" [ "$(stat -c %a "$work/b/backups/$full.db")" = 600 ]
echo 'another-pass-3' | "$bin" user add xiaohong --role sales --db "$work/b/kehu.db" > /dev/null
check "backup --incremental follows the full backup" \
  bash -c "'$bin' backup --incremental --db '$work/b/kehu.db' | grep -Eq 'kehu-[0-9-]+-incremental +incremental'"
incremental=$(ls "$work/b/backups" | sed -n 's/\(kehu-.*-incremental\)\.db$/\1/p' | tail -1)
listed=$("$bin" backups --db "$work/b/kehu.db" | grep -c -e "^$full " -e "^$incremental ")
check "backups lists both" [ "$listed" = 2 ]
check "restore refuses while the server runs on the database, exit 1" \
  bash -c "'$bin' restore '$full' --db '$work/b/kehu.db' 2>&1 | grep -q 'a crm-server is running on .*: stop it first' && [ \${PIPESTATUS[0]} = 1 ]"
check "a second server on the same database is refused" \
  bash -c "timeout 10 '$bin' serve --port 0 --host 127.0.0.1 --db '$work/b/kehu.db' 2>&1 | grep -q 'another crm-server is already serving the database'"
check "the running server still answers" [ "$(login_status "$p2" xiaoming changed-pass-2)" = 200 ]
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null
before=$(sha256sum "$work/b/kehu.db" | cut -d' ' -f1)
python3 -c "import sys; f = open(sys.argv[1], 'r+b'); f.seek(2000); f.write(b'\x5a\x5a'); f.close()" "$work/b/backups/$incremental.db"
check "a damaged incremental is refused with the reason, exit 1" \
  bash -c "'$bin' restore '$incremental' --db '$work/b/kehu.db' 2>&1 | grep -q 'is damaged or was altered (its checksum differs); it cannot be used (the database was not changed)'"
check "and the database was not touched" [ "$(sha256sum "$work/b/kehu.db" | cut -d' ' -f1)" = "$before" ]
check "restore of an unknown backup names it" \
  bash -c "'$bin' restore kehu-nope --db '$work/b/kehu.db' 2>&1 | grep -q 'there is no backup named kehu-nope'"
check "restore with no name prints usage, exit 2" bash -c "'$bin' restore --db '$work/b/kehu.db' 2>/dev/null; [ \$? = 2 ]"
check "restore of the full backup keeps the database as it was, then restores" \
  bash -c "'$bin' restore '$full' --db '$work/b/kehu.db' > '$work/restore.out' && grep -q 'kept as backup' '$work/restore.out' && grep -q 'restored $full' '$work/restore.out'"
check "the restored database lacks what came after the backup" bash -c "! '$bin' user list --db '$work/b/kehu.db' | grep -q xiaohong"
check "no stale log of the old database is left beside it" bash -c "[ ! -s '$work/b/kehu.db-wal' ]"
start "$work/b/kehu.db" "$p2" KEHU_ADMIN_PASSWORD= || exit 1
check "the server starts on the restored database; its users sign in" [ "$(login_status "$p2" xiaoming changed-pass-2)" = 200 ]
check "the database as it was before the restore is listed" \
  bash -c "'$bin' backups --db '$work/b/kehu.db' | grep -q 'before restoring $full'"
check "check names the damaged incremental and exits 1" \
  bash -c "'$bin' check --db '$work/b/kehu.db' > '$work/check2.out' 2>&1; [ \$? = 1 ] && grep -q 'backup $incremental is damaged or was altered' '$work/check2.out' && grep -q 'database: whole' '$work/check2.out'"
rm "$work/b/backups/$incremental.db" "$work/b/backups/$incremental.json"
check "without it, check finds the database, the backups and the statistics whole" \
  bash -c "'$bin' check --db '$work/b/kehu.db' > '$work/check3.out' && grep -q 'backups: [0-9]* in $work/b/backups, all whole' '$work/check3.out' && grep -q 'statistics: exact' '$work/check3.out'"

check "with KEHU_BACKUP_KEY the backup is encrypted: no SQLite file, no readable records" \
  bash -c "KEHU_BACKUP_KEY='a long enough backup key' '$bin' backup --db '$work/b/kehu.db' > '$work/enc.out' && \
    f=\$(ls '$work/b/backups'/*.db.enc | head -1) && head -c 8 \"\$f\" | grep -q KEHUENC1 && ! grep -q xiaoming \"\$f\""

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
