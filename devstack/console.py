"""The stack's own messages, prefixed so they stand out between the children's logs."""


def say(message: str) -> None:
    print(f"[devstack] {message}", flush=True)
