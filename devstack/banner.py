"""What a developer needs once the stack is up: addresses and logins."""

from services.staff_seed import DEMO_PASSWORD, DEMO_STAFF


def ready_lines(
    *,
    api_url: str,
    temporal_address: str,
    namespace: str,
    temporal_ui_url: str | None,
    data_dir: str,
    demo: bool,
    codec_url: str | None = None,
) -> list[str]:
    lines = [
        "An Sinh is running",
        f"  Pages:        {api_url}/ (citizens; staff sign in at {api_url}/dang-nhap)",
        f"  API:          {api_url}",
        f"  API docs:     {api_url}/docs",
        f"  Temporal:     {temporal_address} (namespace {namespace})",
        f"  Temporal UI:  {temporal_ui_url or 'served by your Temporal cluster'}",
        *(
            [f"  Codec server: {codec_url} (sign in there as a supervisor to read payloads in the UI)"]
            if codec_url
            else []
        ),
        f"  Data folder:  {data_dir}",
    ]
    if demo:
        lines.append(f"  Demo logins (development only), password '{DEMO_PASSWORD}':")
        lines += [f"    {s.username:<20} {s.role.value:<18} unit {s.unit_code:<6} {s.full_name}" for s in DEMO_STAFF]
    return lines
