#!/usr/bin/env bash
# The Debian packages as an operator gets them (suite package):
#
#  1. copies the tree (git's tracked and unignored files) to a temporary
#     directory, since dpkg-buildpackage writes the .debs beside the source,
#     and builds there: dpkg-buildpackage -b, nocheck (our suites run
#     elsewhere), noddebs, parallel;
#  2. lintian: an error fails, warnings and notes are printed;
#  3. checks the release build: no test hook compiled in, the layout equals
#     `meson install --prefix=/usr --sysconfdir=/etc`;
#  4. installs the three packages with dpkg --root into a throwaway root.
#     Their maintainer scripts run chrootless against it (DPKG_ROOT, which
#     debhelper's snippets, systemd-sysusers --root and deb-systemd-helper
#     honour; a policy-rc.d in the root keeps deb-systemd-invoke off the
#     host's services).  A chroot would need a whole Debian system inside
#     (debootstrap: minutes).  The root's dpkg database holds the host's
#     installed state of the packages' dependencies, so dpkg checks every
#     Depends against real Debian 12 packages instead of being forced;
#  5. runs what was installed: sightline-server --help and its conffile,
#     sightline --help, gst-inspect-1.0 slseethrough/slhud/sightlinebin with only the
#     installed plugin directory, systemd-analyze verify on the installed
#     unit (any message fails: it exits 0 on unknown keys), the unit's
#     Documentation= targets and user, the man pages against --help;
#  6. purges and checks that nothing of the packages is left.
#
# Needs root or fakeroot for dpkg --root.  SL_PACKAGE_KEEP=1 keeps the
# work directory (its path is printed).
set -euo pipefail

src=${SL_SOURCE_ROOT:?SL_SOURCE_ROOT must name the source tree}
say () { echo "package: $*"; }
fail () { echo "package: FAIL: $*" >&2; exit 1; }

for tool in dpkg-buildpackage dh dpkg-deb lintian gst-inspect-1.0 \
    systemd-analyze systemd-sysusers meson git; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/bootstrap installs it)"
done
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v fakeroot >/dev/null || fail "dpkg --root needs root or fakeroot"
  as_root=(fakeroot)
fi

work=$(mktemp -d /tmp/sightline-package.XXXXXX)
cleanup () {
  if [ "${SL_PACKAGE_KEEP:-0}" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT
t0=$(date +%s)
lap () { say "$* ($(( $(date +%s) - t0 )) s)"; }

# --- 1. build --------------------------------------------------------------
mkdir "$work/src"
(cd "$src" && git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf -) | tar -xf - -C "$work/src"
[ -f "$work/src/debian/control" ] || fail "no debian/ in the copied tree"
if ! (cd "$work/src" &&
    DEB_BUILD_OPTIONS="nocheck noddebs parallel=$(nproc)" \
    dpkg-buildpackage -b -us -uc) >"$work/build.log" 2>&1; then
  # Compiler command lines are long: the errors and the last steps.
  grep -E 'error|dh_[a-z_]+: ' "$work/build.log" | cut -c1-300 | tail -20 >&2
  tail -15 "$work/build.log" | cut -c1-300 >&2
  fail "dpkg-buildpackage failed (log above)"
fi
lap "dpkg-buildpackage done"

ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
version=$(cd "$work/src" && dpkg-parsechangelog -SVersion)
project_version=$(meson introspect --projectinfo "$work/src/meson.build" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
[ "$version" = "$project_version" ] ||
  fail "debian/changelog says $version, meson.build says $project_version"
debs=()
for p in sightline-server sightline gstreamer1.0-sightline; do
  deb=$(ls "$work/${p}_${version}_"*.deb 2>/dev/null) || fail "no $p package built"
  debs+=("$deb")
done

# --- 2. lintian ------------------------------------------------------------
if ! lintian --fail-on error --display-info "${debs[@]}" >"$work/lintian.log" 2>&1; then
  cat "$work/lintian.log" >&2
  fail "lintian reports errors"
fi
grep -v 'running with root privileges' "$work/lintian.log" | sed 's/^/  lintian: /' || true
lap "lintian done"

# --- 3. release build and layout -------------------------------------------
# Package file lists, as installed paths; changelog and copyright are
# Debian's own, man pages are compressed.
for deb in "${debs[@]}"; do
  dpkg-deb --fsys-tarfile "$deb" | tar -t | grep -v '/$' | sed 's|^\./|/|'
done | grep -v '^/usr/share/doc/[^/]*/\(changelog\.gz\|copyright\)$' |
  sed 's|^\(/usr/share/man/.*\)\.gz$|\1|' | sort >"$work/package.files"
meson setup "$work/meson-usr" "$work/src" --prefix=/usr --sysconfdir=/etc \
  -Dtests=disabled -Dbench=false >"$work/meson-usr.log" 2>&1 ||
  { cat "$work/meson-usr.log" >&2; fail "meson setup --prefix=/usr failed"; }
meson introspect "$work/meson-usr" --installed |
  python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin).values()))' |
  sort >"$work/meson.files"
diff -u "$work/meson.files" "$work/package.files" >&2 ||
  fail "meson install --prefix=/usr --sysconfdir=/etc and the packages differ (- meson, + packages)"

# --- 4. install into a throwaway root --------------------------------------
root=$work/root
admin=$root/var/lib/dpkg
mkdir -p "$admin/info" "$admin/updates" "$root/usr/sbin"
: >"$admin/status"
# Installed on the host = installed in the root, for what the packages
# depend on (only the dependencies dpkg checks, not the whole system).
mapfile -t deps < <(for deb in "${debs[@]}"; do dpkg-deb -f "$deb" Depends; done |
  tr ',|' '\n\n' | sed 's/(.*//; s/:any//; s/[[:space:]]//g' | sort -u |
  grep -v '^$\|^sightline\|^gstreamer1.0-sightline$')
mapfile -t installed < <(dpkg-query -W -f='${binary:Package} ${db:Status-Status}\n' \
  "${deps[@]}" 2>/dev/null | awk '$2 == "installed" { print $1 }')
[ ${#installed[@]} -gt 0 ] || fail "none of the packages' dependencies is installed here"
dpkg-query -s "${installed[@]}" | grep -v '^ /\|^Conffiles:' >"$admin/status"
for pkg in "${installed[@]}"; do : >"$admin/info/$pkg.list"; done
printf '#!/bin/sh\n# no service starts in a throwaway root\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
# dpkg wants ldconfig and start-stop-daemon in PATH, which a user's may lack.
export PATH=$PATH:/usr/sbin:/sbin
dpkg_root=("${as_root[@]}" dpkg --root="$root" --force-script-chrootless --log=/dev/null)
if ! "${dpkg_root[@]}" -i "${debs[@]}" >"$work/install.log" 2>&1; then
  cat "$work/install.log" >&2
  fail "dpkg could not install the packages"
fi
for p in sightline-server sightline gstreamer1.0-sightline; do
  st=$(dpkg-query --admindir="$admin" -W -f='${db:Status-Abbrev}' "$p")
  [ "$st" = "ii " ] || fail "$p is '$st' after dpkg -i, not installed"
done
dpkg-query --admindir="$admin" -W -f='${Conffiles}\n' sightline-server |
  grep -q '^ /etc/sightline/server.conf ' || fail "/etc/sightline/server.conf is not a conffile"
# Installed disabled: the operator enables it once the certificates are in.
if ls "$root"/etc/systemd/system/*.wants/sightline-server.service >/dev/null 2>&1; then
  fail "the install enabled sightline-server.service before it has certificates"
fi
# Upgrade path of the maintainer scripts (configure with a version): again.
if ! "${dpkg_root[@]}" -i "${debs[@]}" >>"$work/install.log" 2>&1; then
  cat "$work/install.log" >&2
  fail "dpkg could not reinstall (upgrade) the packages"
fi
lap "installed into $root"

# --- 5. run what was installed ---------------------------------------------
# The release build carries no test hook: every hook reads an SL_TEST_*
# variable or is called by the tests only.
for b in sightline sightline-server sightline-ca; do
  [ -x "$root/usr/bin/$b" ] || fail "/usr/bin/$b is not installed"
  if grep -q 'SL_TEST_' "$root/usr/bin/$b"; then
    fail "/usr/bin/$b has test hooks compiled in (SL_TEST_*): packages must build with -Dtest_hooks=false"
  fi
done

out=$(timeout 10 "$root/usr/bin/sightline-server" --help) ||
  fail "installed sightline-server --help failed"
grep -q 'default /etc/sightline/server.conf' <<<"$out" ||
  fail "sightline-server --help does not name /etc/sightline/server.conf: $(grep -- --config <<<"$out")"
# The conffile's paths are /etc/sightline's, and the server reads them (the
# certificate is not there yet, so it refuses to start and says which file
# it wanted).
bad=$(grep -E '^#?[a-z_]+=/' "$root/etc/sightline/server.conf" | grep -v '=/etc/sightline/') &&
  fail "paths outside /etc/sightline in the installed server.conf: $bad"
if [ ! -e /etc/sightline/server.crt ]; then
  set +e
  out=$(timeout 10 "$root/usr/bin/sightline-server" --config "$root/etc/sightline/server.conf" \
    --listen 127.0.0.1 --port 0 --admin-port -1 2>&1)
  st=$?
  set -e
  [ $st -ne 0 ] && [ $st -ne 124 ] && grep -qE "(^|[ '\"])/etc/sightline/server\.crt" <<<"$out" ||
    fail "the installed server.conf should point at /etc/sightline/server.crt (status $st): $out"
fi
timeout 20 "$root/usr/bin/sightline" --help >"$work/client-help.txt" 2>&1 ||
  { cat "$work/client-help.txt" >&2; fail "installed sightline --help failed"; }
timeout 10 "$root/usr/bin/sightline-ca" --help >/dev/null ||
  fail "installed sightline-ca --help failed"

# GStreamer finds the plugin where Debian's GStreamer looks, from nowhere
# else: no build tree, no user plugin path.
plugindir=$root/usr/lib/$ma/gstreamer-1.0
for el in slseethrough:libgstsightline slhud:libgstsightline \
    sightlinebin:libgstsightlinecall; do
  lib=${el#*:}
  el=${el%:*}
  out=$(env -u GST_PLUGIN_PATH -u GST_PLUGIN_PATH_1_0 \
    GST_PLUGIN_SYSTEM_PATH_1_0="$plugindir" GST_REGISTRY_1_0="$work/registry.bin" \
    timeout 30 gst-inspect-1.0 "$el" 2>&1) ||
    fail "gst-inspect-1.0 $el with the installed plugin directory: $out"
  grep -q "Filename *$plugindir/$lib.so" <<<"$out" ||
    fail "gst-inspect-1.0 $el did not load $plugindir/$lib.so"
done

# The unit, checked by systemd itself against the root.  The root gets
# systemd's own units and /bin/kill (ExecReload) as a system with the
# packages' dependencies has them; MANPATH lets verify find the man page
# Documentation= names.
unit=$root/lib/systemd/system/sightline-server.service
[ -f "$unit" ] || fail "the unit is not in /lib/systemd/system"
dpkg -L systemd | grep '^/lib/systemd/system/[^/]*$' | while read -r f; do
  [ -f "$f" ] && [ ! -e "$root$f" ] && cp -P "$f" "$root/lib/systemd/system/"
done || true
mkdir -p "$root/bin"
cp /bin/kill "$root/bin/kill"
set +e
out=$(MANPATH="$root/usr/share/man" SYSTEMD_LOG_LEVEL=notice \
  systemd-analyze verify --root="$root" sightline-server.service 2>&1)
st=$?
set -e
[ $st -eq 0 ] && [ -z "$out" ] ||
  fail "systemd-analyze verify on the installed unit (status $st): $out"
grep '^Documentation=' "$unit" | sed 's/^Documentation=//' | tr ' ' '\n' |
  while read -r doc; do
    case "$doc" in
      file://*) [ -f "$root${doc#file://}" ] || fail "Documentation=$doc is not installed" ;;
      man:*) page=${doc#man:}; name=${page%%(*}; sec=${page#*(}; sec=${sec%)}
        [ -f "$root/usr/share/man/man$sec/$name.$sec.gz" ] ||
          fail "Documentation=$doc is not installed" ;;
      *) fail "unexpected Documentation=$doc" ;;
    esac
  done
# The service's user was made by the postinst (systemd-sysusers).
for k in User Group; do
  v=$(sed -n "s/^$k=//p" "$unit")
  [ -n "$v" ] || fail "the unit has no $k="
  db=$root/etc/passwd; [ $k = Group ] && db=$root/etc/group
  grep -q "^$v:" "$db" 2>/dev/null || fail "$k=$v of the unit was not created by the postinst"
done
grep -q '^sightline:[^:]*:[0-9]*:[0-9]*:[^:]*:[^:]*:/usr/sbin/nologin$' "$root/etc/passwd" ||
  fail "the sightline user may log in: $(grep '^sightline:' "$root/etc/passwd")"
[ "$(grep -c '^sightline:' "$root/etc/passwd")" = 1 ] ||
  fail "the reinstall made the sightline user twice"

# Each man page documents every flag its program's --help lists.
check_man () {  # check_man PAGE HELP-TEXT
  local page flag
  page=$(zcat "$root/usr/share/man/$1.gz" | sed 's/\\-/-/g')
  for flag in $(grep -o -- '--[a-z][a-z-]*' <<<"$2" | sort -u); do
    case "$flag" in --help|--help-*) continue ;; esac
    grep -q -- "$flag" <<<"$page" || fail "man page $1 does not document $flag"
  done
}
check_man man8/sightline-server.8 "$("$root/usr/bin/sightline-server" --help)"
ca_help=""
for c in init issue-device issue-server revoke crl list; do
  ca_help+=$("$root/usr/bin/sightline-ca" "$c" --help)
done
check_man man1/sightline-ca.1 "$ca_help"
[ -f "$root/usr/share/man/man1/sightline.1.gz" ] || fail "no sightline(1)"
check_man man1/sightline.1 "$(cat "$work/client-help.txt")"
lap "installed programs, plugin, unit and man pages checked"

# --- 6. purge ---------------------------------------------------------------
if ! "${dpkg_root[@]}" --purge sightline sightline-server gstreamer1.0-sightline \
    >"$work/purge.log" 2>&1; then
  cat "$work/purge.log" >&2
  fail "dpkg could not purge the packages"
fi
while read -r f; do
  [ ! -e "$root$f" ] || fail "$f is left after purge"
done <"$work/package.files"
[ ! -e "$root/etc/sightline" ] || fail "/etc/sightline is left after purge"
lap "purged"
say "ok: 3 packages ($version) built, installed, run and purged"
