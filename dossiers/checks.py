"""System check: printed dossiers are signed with ZHISHU_DOSSIER_KEY (R-DOS-1); without it none can be made."""
from django.conf import settings
from django.core.checks import Error
from django.utils.translation import gettext_lazy as _

ERR_NO_DOSSIER_KEY = _("ZHISHU_DOSSIER_KEY is not set: printed dossiers could not be signed or verified. "
                       "Set it to a long random secret and keep it: changing it makes every earlier printout unknown.")


def check_dossier_key(app_configs=None, **kwargs):
    return [] if settings.ZHISHU_DOSSIER_KEY else [Error(str(ERR_NO_DOSSIER_KEY), id="zhishu.E003")]
