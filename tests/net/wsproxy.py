#!/usr/bin/env python3
# A TCP relay that the network tests put between a device and the
# signalling server (TLS passes through untouched).  On "cut" over its
# control socket it resets every connection it carries, both ways, at
# once, as a network failure would; new connections are relayed again.
#
#   wsproxy.py LISTEN_ADDR LISTEN_PORT SERVER_ADDR SERVER_PORT CONTROL_PATH
import asyncio
import os
import socket
import struct
import sys

conns = set()


def reset(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            # RST instead of FIN: the peer learns at once, nothing lingers.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.transport.abort()


async def pump(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def relay(creader, cwriter, server):
    try:
        sreader, swriter = await asyncio.open_connection(*server)
    except OSError:
        reset(cwriter)
        return
    pair = (cwriter, swriter)
    conns.add(pair)
    try:
        await asyncio.gather(pump(creader, swriter), pump(sreader, cwriter))
    finally:
        conns.discard(pair)


async def control(reader, writer):
    line = await reader.readline()
    if line.strip() == b"cut":
        n = len(conns)
        for pair in list(conns):
            for w in pair:
                reset(w)
        conns.clear()
        writer.write(b"ok %d\n" % n)
    else:
        writer.write(b"unknown\n")
    await writer.drain()
    writer.close()


async def main():
    laddr, lport, saddr, sport, ctl = sys.argv[1:6]
    server = (saddr, int(sport))
    if os.path.exists(ctl):
        os.unlink(ctl)
    await asyncio.start_server(lambda r, w: relay(r, w, server), laddr,
                               int(lport))
    await asyncio.start_unix_server(control, ctl)
    print("READY", flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
