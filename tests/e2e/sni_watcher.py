"""A minimal StatusNotifierWatcher for tests: the piece of a desktop panel that tray icons register with.

Debian bookworm ships no standalone StatusNotifier host, so the end-to-end tests run this on
their private session bus. It owns `org.kde.StatusNotifierWatcher`, answers the registration
calls and properties libayatana-appindicator asks for, and appends every registered item
(`busname/objectpath`) to the file named on the command line, one per line.

Usage: python sni_watcher.py ITEMS_FILE   (prints "ready" once the name is owned)
"""

import asyncio
import sys

from dbus_next import BusType, Message, MessageType, Variant
from dbus_next.aio import MessageBus
from dbus_next.constants import RequestNameReply

NAME = "org.kde.StatusNotifierWatcher"
PATH = "/StatusNotifierWatcher"
INTROSPECTION = f"""<node>
 <interface name="{NAME}">
  <method name="RegisterStatusNotifierItem"><arg type="s" direction="in"/></method>
  <method name="RegisterStatusNotifierHost"><arg type="s" direction="in"/></method>
  <property name="RegisteredStatusNotifierItems" type="as" access="read"/>
  <property name="IsStatusNotifierHostRegistered" type="b" access="read"/>
  <property name="ProtocolVersion" type="i" access="read"/>
  <signal name="StatusNotifierItemRegistered"><arg type="s"/></signal>
  <signal name="StatusNotifierItemUnregistered"><arg type="s"/></signal>
  <signal name="StatusNotifierHostRegistered"/>
 </interface>
</node>"""


async def main(items_file: str) -> None:
    bus = await MessageBus(bus_type=BusType.SESSION).connect()
    items: list[str] = []

    def properties() -> dict:
        return {
            "RegisteredStatusNotifierItems": Variant("as", list(items)),
            "IsStatusNotifierHostRegistered": Variant("b", True),
            "ProtocolVersion": Variant("i", 0),
        }

    def handler(msg: Message):
        if msg.message_type != MessageType.METHOD_CALL or msg.path != PATH:
            return None
        if msg.member == "RegisterStatusNotifierItem":
            service = msg.body[0]
            # libayatana registers with an object path; the bus name is then the sender.
            item = f"{msg.sender}{service}" if service.startswith("/") else f"{service}/StatusNotifierItem"
            if item not in items:
                items.append(item)
                with open(items_file, "a", encoding="utf-8") as out:
                    out.write(item + "\n")
                bus.send(Message.new_signal(PATH, NAME, "StatusNotifierItemRegistered", "s", [item]))
            return Message.new_method_return(msg)
        if msg.member == "RegisterStatusNotifierHost":
            return Message.new_method_return(msg)
        if msg.member == "Get" and msg.interface == "org.freedesktop.DBus.Properties":
            value = properties().get(msg.body[1])
            if value is None:
                return Message.new_error(msg, "org.freedesktop.DBus.Error.UnknownProperty", msg.body[1])
            return Message.new_method_return(msg, "v", [value])
        if msg.member == "GetAll" and msg.interface == "org.freedesktop.DBus.Properties":
            return Message.new_method_return(msg, "a{sv}", [properties()])
        if msg.member == "Introspect":
            return Message.new_method_return(msg, "s", [INTROSPECTION])
        return Message.new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", msg.member or "")

    bus.add_message_handler(handler)
    reply = await bus.request_name(NAME)
    if reply != RequestNameReply.PRIMARY_OWNER:
        print(f"could not own {NAME}: {reply}", file=sys.stderr, flush=True)
        sys.exit(1)
    print("ready", flush=True)
    await bus.wait_for_disconnect()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
