from django.conf import settings


def navigation(request):
    """The site name and the unread-notice count for the layout (one cheap count query)."""
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = user.notices.filter(read_at__isnull=True).count()
    return {"site_name": settings.ZHISHU_SITE_NAME, "unread_notices": unread}
