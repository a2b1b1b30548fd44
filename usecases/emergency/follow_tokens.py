"""The requester's follow link (usecases/follow_links.py): whoever holds it sees the emergency as the requester does
(their own description and address, who is coming), may confirm that help arrived and talk with the helper."""

from usecases.follow_links import FollowLink

LINK = FollowLink("emergency-follow", "/khan-cap")
follow_token, opens, follow_path = LINK.token, LINK.opens, LINK.path
