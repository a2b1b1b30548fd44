"""The donor's follow link (usecases/follow_links.py): a donor follows their goods for months, so it does not expire.
Whoever holds it sees the donation, its lines and where the goods went (no personal data of anyone), and may cancel
it before it arrives."""

from usecases.follow_links import FollowLink

LINK = FollowLink("donation-follow", "/quyen-gop")
follow_token, opens, follow_path = LINK.token, LINK.opens, LINK.path
