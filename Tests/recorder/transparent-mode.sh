#!/usr/bin/env bash
# Transparent mode, for real, in network namespaces of its own: a fake IMDS listens on 169.254.169.254:80
# in one, the node in the other runs the recorder as user nobody on 127.0.0.1:8042, and the documented rule
# (docs/RECORDER.md) sends every other process's TCP to 169.254.169.254:80 to the recorder:
#
#   iptables -t nat -A OUTPUT -d 169.254.169.254/32 -p tcp --dport 80 \
#            -m owner ! --uid-owner RECORDER_UID -j DNAT --to-destination 127.0.0.1:8042
#
# Then: curl as root (a start task) is recorded; curl as the recorder's user goes straight to IMDS (no loop);
# with the recorder stopped and the rule still there, IMDS is unreachable (why the rule goes with the recorder).
# Prints `check NAME: VALUE` lines for the test to read; needs root, ip (iproute2), iptables, curl, setpriv.
#
# Usage: transparent-mode.sh MITRAIL_BINARY SCRATCH_DIRECTORY
set -euo pipefail
mitrail=$1
scratch=$2
here=$(cd "$(dirname "$0")" && pwd)
namespace="mitrail-tm-$$"
imds_namespace="mitrail-tm-imds-$$"
recorder_uid=65534
pids=()

cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    ip netns delete "$namespace" 2>/dev/null || true
    ip netns delete "$imds_namespace" 2>/dev/null || true
}
trap cleanup EXIT

in_namespace() { ip netns exec "$namespace" "$@"; }

# Two hosts, as on Azure: the node (client and recorder) and, across a link, IMDS on 169.254.169.254.
# The node reaches it through its own address (10.200.0.1), so the packets the rule rewrites carry a
# non-loopback source address, as on a VM's eth0.
ip netns add "$namespace"
ip netns add "$imds_namespace"
ip link add mtnode0 netns "$namespace" type veth peer name mtimds0 netns "$imds_namespace"
in_namespace ip link set lo up
in_namespace ip addr add 10.200.0.1/24 dev mtnode0
in_namespace ip link set mtnode0 up
in_namespace ip route add 169.254.169.254/32 via 10.200.0.2
ip netns exec "$imds_namespace" ip link set lo up
ip netns exec "$imds_namespace" ip addr add 10.200.0.2/24 dev mtimds0
ip netns exec "$imds_namespace" ip addr add 169.254.169.254/32 dev mtimds0
ip netns exec "$imds_namespace" ip link set mtimds0 up

# Started with ip netns exec itself (no shell function around it), so that $! is the process: ip execs it.
ip netns exec "$imds_namespace" python3 "$here/fake_imds.py" --host 169.254.169.254 --port 80 > "$scratch/imds.out" 2>&1 &
pids+=($!)
chmod 0777 "$scratch"
capture="$scratch/transparent.jsonl"
ip netns exec "$namespace" setpriv --reuid=$recorder_uid --regid=$recorder_uid --clear-groups \
    "$mitrail" record --listen 127.0.0.1:8042 --upstream http://169.254.169.254 --out "$capture" --node tvmps_transparent \
    2> "$scratch/recorder.err" &
recorder=$!
pids+=($recorder)
for _ in $(seq 100); do grep -q "^mitrail record: http" "$scratch/recorder.err" 2>/dev/null && grep -q listening "$scratch/imds.out" && break; sleep 0.1; done

in_namespace iptables -t nat -A OUTPUT -d 169.254.169.254/32 -p tcp --dport 80 \
    -m owner ! --uid-owner $recorder_uid -j DNAT --to-destination 127.0.0.1:8042
token_url="http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/"

echo "check root-status: $(in_namespace curl -s -o /dev/null -w '%{http_code}' -H Metadata:true "$token_url&client_id=00000000-0000-0000-0000-0000000000c1")"
echo "check root-missing-header-status: $(in_namespace curl -s -o /dev/null -w '%{http_code}' "$token_url")"
echo "check recorder-user-status: $(in_namespace setpriv --reuid=$recorder_uid --regid=$recorder_uid --clear-groups \
    curl -s -o /dev/null -w '%{http_code}' -H Metadata:true "$token_url&client_id=00000000-0000-0000-0000-0000000000c1")"
kill -TERM "$recorder"
status=0
wait "$recorder" || status=$?
echo "check recorder-exit: $status"
echo "check records: $(wc -l < "$capture")"
echo "check capture-mode: $(stat -c %a "$capture")"
echo "check rule-left-without-recorder: $(in_namespace curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H Metadata:true "$token_url" || true)"
in_namespace iptables -t nat -D OUTPUT -d 169.254.169.254/32 -p tcp --dport 80 \
    -m owner ! --uid-owner $recorder_uid -j DNAT --to-destination 127.0.0.1:8042
echo "check rule-removed-status: $(in_namespace curl -s -o /dev/null -w '%{http_code}' -H Metadata:true "$token_url")"
