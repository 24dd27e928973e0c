#!/usr/bin/env bash
# Sightline's test network: namespaces, veth pairs and nftables, made and
# removed by the tests themselves.  Source this file, then:
#
#   netlab_up                 build the topology below (needs root)
#   netlab_exec HOST cmd...   run a command on a host: pub, goggles, expert
#   netlab_loss PCT           drop PCT% of UDP forwarded by both NAT routers
#   netlab_blackhole on|off   drop every UDP packet between the two sites
#   netlab_block_direct       drop UDP between the sites' public addresses,
#                             so only the TURN relay path works
#   netlab_down               remove everything (also run on EXIT)
#
#                 pub (203.0.113.0/24, bridge slbr)
#       server + coturn 203.0.113.10
#          /                              \
#   rtA 203.0.113.1 (NAT)          rtB 203.0.113.2 (NAT)
#          |                              |
#   goggles 10.1.0.2/24            expert 10.2.0.2/24
#
# Traffic never leaves these namespaces: none of them has a route to the
# host's own interfaces.

NL_ID=${NL_ID:-sl$$}
NL_PUB=$NL_ID-pub
NL_RTA=$NL_ID-rtA
NL_RTB=$NL_ID-rtB
NL_HA=$NL_ID-goggles
NL_HB=$NL_ID-expert
NL_PUB_ADDR=203.0.113.10
NL_RTA_ADDR=203.0.113.1
NL_RTB_ADDR=203.0.113.2
NL_HA_ADDR=10.1.0.2
NL_HB_ADDR=10.2.0.2

netlab_can_run () {
  if [ "$(id -u)" -ne 0 ]; then
    echo "netlab: needs root for ip netns and nftables" >&2
    return 1
  fi
  for t in ip nft; do
    command -v $t >/dev/null || { echo "netlab: $t is missing" >&2; return 1; }
  done
  if ! ip netns add "$NL_ID-probe" 2>/dev/null; then
    echo "netlab: cannot create network namespaces here" >&2
    return 1
  fi
  ip netns del "$NL_ID-probe"
}

netlab_ns () {
  case "$1" in
    pub) echo "$NL_PUB" ;;
    rtA) echo "$NL_RTA" ;;
    rtB) echo "$NL_RTB" ;;
    goggles) echo "$NL_HA" ;;
    expert) echo "$NL_HB" ;;
    *) echo "netlab: unknown host $1" >&2; return 1 ;;
  esac
}

netlab_exec () {
  local ns
  ns=$(netlab_ns "$1") || return 1
  shift
  ip netns exec "$ns" "$@"
}

netlab_down () {
  local ns
  for ns in "$NL_HA" "$NL_HB" "$NL_RTA" "$NL_RTB" "$NL_PUB"; do
    if ip netns list | grep -qw "$ns"; then
      # Kill whatever a test left running inside before the namespace goes.
      ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
      ip netns del "$ns" 2>/dev/null || true
    fi
  done
}

_netlab_site () {
  # $1 router ns, $2 host ns, $3 wan addr, $4 lan prefix (10.1.0), $5 tag
  local rt=$1 host=$2 wan=$3 lan=$4 tag=$5
  ip link add "w$tag" netns "$rt" type veth peer name "p$tag" netns "$NL_PUB"
  ip -n "$NL_PUB" link set "p$tag" master slbr up
  ip -n "$rt" addr add "$wan/24" dev "w$tag"
  ip -n "$rt" link set "w$tag" up
  ip link add "l$tag" netns "$rt" type veth peer name eth0 netns "$host"
  ip -n "$rt" addr add "$lan.1/24" dev "l$tag"
  ip -n "$rt" link set "l$tag" up
  ip -n "$host" addr add "$lan.2/24" dev eth0
  ip -n "$host" link set eth0 up
  ip -n "$host" route add default via "$lan.1"
  ip netns exec "$rt" sysctl -qw net.ipv4.ip_forward=1
  ip netns exec "$rt" nft -f - <<NFT
table ip sl_nat {
  chain post {
    type nat hook postrouting priority srcnat;
    oifname "w$tag" masquerade
  }
}
table ip sl_filter {
  chain forward {
    type filter hook forward priority filter;
  }
}
NFT
}

netlab_up () {
  trap netlab_down EXIT
  netlab_down
  local ns
  for ns in "$NL_PUB" "$NL_RTA" "$NL_RTB" "$NL_HA" "$NL_HB"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
  done
  ip -n "$NL_PUB" link add slbr type bridge
  ip -n "$NL_PUB" addr add "$NL_PUB_ADDR/24" dev slbr
  ip -n "$NL_PUB" link set slbr up
  _netlab_site "$NL_RTA" "$NL_HA" "$NL_RTA_ADDR" 10.1.0 A
  _netlab_site "$NL_RTB" "$NL_HB" "$NL_RTB_ADDR" 10.2.0 B
  # Bridged traffic between the two routers passes this table, so the
  # direct path between the sites can be cut while TURN stays reachable.
  ip netns exec "$NL_PUB" nft -f - <<NFT
table bridge sl_pub {
  chain forward {
    type filter hook forward priority filter;
  }
}
NFT
}

netlab_loss () {
  local pct=$1 rt
  for rt in "$NL_RTA" "$NL_RTB"; do
    ip netns exec "$rt" nft flush chain ip sl_filter forward
    if [ "$pct" -gt 0 ]; then
      ip netns exec "$rt" nft add rule ip sl_filter forward \
        meta l4proto udp numgen random mod 100 "<" "$pct" drop
    fi
  done
}

netlab_blackhole () {
  local rt
  for rt in "$NL_RTA" "$NL_RTB"; do
    ip netns exec "$rt" nft flush chain ip sl_filter forward
    if [ "$1" = on ]; then
      # Media only: signalling (TCP) keeps working, as when a UDP path dies.
      ip netns exec "$rt" nft add rule ip sl_filter forward meta l4proto udp drop
    fi
  done
}

netlab_block_direct () {
  ip netns exec "$NL_PUB" nft add rule bridge sl_pub forward \
    ip saddr "$NL_RTA_ADDR" ip daddr "$NL_RTB_ADDR" drop
  ip netns exec "$NL_PUB" nft add rule bridge sl_pub forward \
    ip saddr "$NL_RTB_ADDR" ip daddr "$NL_RTA_ADDR" drop
}
