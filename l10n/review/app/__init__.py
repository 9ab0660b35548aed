"""The local review app (``l10n review serve``): edit, approve or reject segments in a browser."""

from l10n.review.app.catalog import Catalog
from l10n.review.app.routes import create_app
from l10n.review.app.server import ReviewServer, default_reviewer

__all__ = ["Catalog", "ReviewServer", "create_app", "default_reviewer"]
