"""What the pages share that touches Streamlit; the only room of ``lingyi`` that imports it.

Each module holds one job (``from lingyi.ui import cards, charts`` … ``cards.hotline_cards(...)``); the names below
are kept here while the pages move to the modules.
"""

from lingyi.ui.admin import (
    _EXEMPT_KIND as _EXEMPT_KIND,
)
from lingyi.ui.admin import (
    _EXEMPT_MARK as _EXEMPT_MARK,
)
from lingyi.ui.admin import (
    _EXEMPT_UNIT as _EXEMPT_UNIT,
)
from lingyi.ui.admin import (
    _EXEMPT_UNMARK as _EXEMPT_UNMARK,
)
from lingyi.ui.admin import (
    audit_table as audit_table,
)
from lingyi.ui.admin import (
    exempt_form as exempt_form,
)
from lingyi.ui.admin import (
    user_form as user_form,
)
from lingyi.ui.admin import (
    user_status_form as user_status_form,
)
from lingyi.ui.cards import (
    appeals_card as appeals_card,
)
from lingyi.ui.cards import (
    card as card,
)
from lingyi.ui.cards import (
    closure_card as closure_card,
)
from lingyi.ui.cards import (
    completion_card as completion_card,
)
from lingyi.ui.cards import (
    count_card as count_card,
)
from lingyi.ui.cards import (
    hotline_cards as hotline_cards,
)
from lingyi.ui.cards import (
    indicator_cards as indicator_cards,
)
from lingyi.ui.cards import (
    learning_cards as learning_cards,
)
from lingyi.ui.cards import (
    like_for_like_note as like_for_like_note,
)
from lingyi.ui.cards import (
    problem_cards as problem_cards,
)
from lingyi.ui.cards import (
    rate_card as rate_card,
)
from lingyi.ui.charts import (
    CHART_CONFIG as CHART_CONFIG,
)
from lingyi.ui.charts import (
    PLOTLY_WORDS as PLOTLY_WORDS,
)
from lingyi.ui.charts import (
    THEMES as THEMES,
)
from lingyi.ui.charts import (
    _clicked as _clicked,
)
from lingyi.ui.charts import (
    _narrow_to_category as _narrow_to_category,
)
from lingyi.ui.charts import (
    chart as chart,
)
from lingyi.ui.charts import (
    chart_config as chart_config,
)
from lingyi.ui.charts import (
    open_profile as open_profile,
)
from lingyi.ui.data import (
    _comparison as _comparison,
)
from lingyi.ui.data import (
    _history as _history,
)
from lingyi.ui.data import (
    _load_dataset as _load_dataset,
)
from lingyi.ui.data import (
    _open_store as _open_store,
)
from lingyi.ui.data import (
    _snapshot_dataset as _snapshot_dataset,
)
from lingyi.ui.data import (
    _snapshot_list as _snapshot_list,
)
from lingyi.ui.data import (
    data_changed as data_changed,
)
from lingyi.ui.data import (
    dataset as dataset,
)
from lingyi.ui.data import (
    snapshot_dataset as snapshot_dataset,
)
from lingyi.ui.data import (
    store as store,
)
from lingyi.ui.data import (
    submission_history as submission_history,
)
from lingyi.ui.data import (
    unit_history as unit_history,
)
from lingyi.ui.filters import (
    _normalise_unit_choice as _normalise_unit_choice,
)
from lingyi.ui.filters import (
    _resolved_units as _resolved_units,
)
from lingyi.ui.filters import (
    _unit_label as _unit_label,
)
from lingyi.ui.filters import (
    choice as choice,
)
from lingyi.ui.filters import (
    scope_text as scope_text,
)
from lingyi.ui.filters import (
    shared_filters as shared_filters,
)
from lingyi.ui.filters import (
    sidebar_filters as sidebar_filters,
)
from lingyi.ui.filters import (
    unit_picker as unit_picker,
)
from lingyi.ui.frame import (
    _RETRY_ARMED as _RETRY_ARMED,
)
from lingyi.ui.frame import (
    FAVICON as FAVICON,
)
from lingyi.ui.frame import (
    RETRY_SECONDS as RETRY_SECONDS,
)
from lingyi.ui.frame import (
    _enter_through_app as _enter_through_app,
)
from lingyi.ui.frame import (
    _retry_when_the_store_answers as _retry_when_the_store_answers,
)
from lingyi.ui.frame import (
    _show_period as _show_period,
)
from lingyi.ui.frame import (
    desk_page as desk_page,
)
from lingyi.ui.frame import (
    empty_store as empty_store,
)
from lingyi.ui.frame import (
    friendly_errors as friendly_errors,
)
from lingyi.ui.frame import (
    header as header,
)
from lingyi.ui.frame import (
    indicators_elsewhere as indicators_elsewhere,
)
from lingyi.ui.frame import (
    nothing_in_scope as nothing_in_scope,
)
from lingyi.ui.frame import (
    page_context as page_context,
)
from lingyi.ui.manage import (
    history_picker as history_picker,
)
from lingyi.ui.manage import (
    registry_replacement as registry_replacement,
)
from lingyi.ui.manage import (
    submission_actions as submission_actions,
)
from lingyi.ui.reporting import (
    reporting_source as reporting_source,
)
from lingyi.ui.reporting import (
    status_grid as status_grid,
)
from lingyi.ui.sign_in import (
    _ENDED as _ENDED,
)
from lingyi.ui.sign_in import (
    _FORGET_COOKIE as _FORGET_COOKIE,
)
from lingyi.ui.sign_in import (
    _SESSION as _SESSION,
)
from lingyi.ui.sign_in import (
    _SESSION_COOKIE_JS as _SESSION_COOKIE_JS,
)
from lingyi.ui.sign_in import (
    _SIGN_IN_FORM as _SIGN_IN_FORM,
)
from lingyi.ui.sign_in import (
    _TICKET as _TICKET,
)
from lingyi.ui.sign_in import (
    DEFAULT_ANALYST as DEFAULT_ANALYST,
)
from lingyi.ui.sign_in import (
    DEMO_VARIABLE as DEMO_VARIABLE,
)
from lingyi.ui.sign_in import (
    OIDC_CLAIM as OIDC_CLAIM,
)
from lingyi.ui.sign_in import (
    START_PAGE as START_PAGE,
)
from lingyi.ui.sign_in import (
    _actor as _actor,
)
from lingyi.ui.sign_in import (
    _cookie_request as _cookie_request,
)
from lingyi.ui.sign_in import (
    _forget_session as _forget_session,
)
from lingyi.ui.sign_in import (
    _oidc_name as _oidc_name,
)
from lingyi.ui.sign_in import (
    _oidc_signed_in as _oidc_signed_in,
)
from lingyi.ui.sign_in import (
    _refused_page as _refused_page,
)
from lingyi.ui.sign_in import (
    _session_cookie as _session_cookie,
)
from lingyi.ui.sign_in import (
    _start_page as _start_page,
)
from lingyi.ui.sign_in import (
    account_box as account_box,
)
from lingyi.ui.sign_in import (
    bound_unit as bound_unit,
)
from lingyi.ui.sign_in import (
    client_address as client_address,
)
from lingyi.ui.sign_in import (
    demo_mode as demo_mode,
)
from lingyi.ui.sign_in import (
    oidc_configured as oidc_configured,
)
from lingyi.ui.sign_in import (
    require as require,
)
from lingyi.ui.sign_in import (
    role_navigation as role_navigation,
)
from lingyi.ui.sign_in import (
    sign_in_page as sign_in_page,
)
from lingyi.ui.sign_in import (
    sign_out as sign_out,
)
from lingyi.ui.sign_in import (
    signed_in_user as signed_in_user,
)
from lingyi.ui.snapshots import (
    _DELETE_BUTTON as _DELETE_BUTTON,
)
from lingyi.ui.snapshots import (
    _FREEZE_BUTTON as _FREEZE_BUTTON,
)
from lingyi.ui.snapshots import (
    _FREEZE_NAME as _FREEZE_NAME,
)
from lingyi.ui.snapshots import (
    _NEXT_SNAPSHOT as _NEXT_SNAPSHOT,
)
from lingyi.ui.snapshots import (
    freeze_form as freeze_form,
)
from lingyi.ui.snapshots import (
    frozen_banner as frozen_banner,
)
from lingyi.ui.snapshots import (
    shown_snapshot as shown_snapshot,
)
from lingyi.ui.snapshots import (
    snapshot_comparison as snapshot_comparison,
)
from lingyi.ui.snapshots import (
    snapshot_deletion as snapshot_deletion,
)
from lingyi.ui.snapshots import (
    snapshot_picker as snapshot_picker,
)
from lingyi.ui.state import (
    _ENTRY_REDIRECTS as _ENTRY_REDIRECTS,
)
from lingyi.ui.state import (
    _PAGE_CONTEXT as _PAGE_CONTEXT,
)
from lingyi.ui.state import (
    _SHOWN_SNAPSHOT as _SHOWN_SNAPSHOT,
)
from lingyi.ui.state import (
    _UNKNOWN_UNITS as _UNKNOWN_UNITS,
)
from lingyi.ui.state import (
    CATEGORY as CATEGORY,
)
from lingyi.ui.state import (
    DEBUG_VARIABLE as DEBUG_VARIABLE,
)
from lingyi.ui.state import (
    HOTLINE_RATE as HOTLINE_RATE,
)
from lingyi.ui.state import (
    LATEST as LATEST,
)
from lingyi.ui.state import (
    LEARNING_MEASURE as LEARNING_MEASURE,
)
from lingyi.ui.state import (
    LIVE as LIVE,
)
from lingyi.ui.state import (
    PROFILE_PAGE as PROFILE_PAGE,
)
from lingyi.ui.state import (
    PROFILE_UNIT as PROFILE_UNIT,
)
from lingyi.ui.state import (
    PROJECT_DIR as PROJECT_DIR,
)
from lingyi.ui.state import (
    SNAPSHOT as SNAPSHOT,
)
from lingyi.ui.state import (
    THROUGH as THROUGH,
)
from lingyi.ui.state import (
    UNIT as UNIT,
)
from lingyi.ui.state import (
    YEAR as YEAR,
)
from lingyi.ui.tables import (
    _COLUMN_CONFIG as _COLUMN_CONFIG,
)
from lingyi.ui.tables import (
    _FINDING_COLUMNS as _FINDING_COLUMNS,
)
from lingyi.ui.tables import (
    HEADINGS as HEADINGS,
)
from lingyi.ui.tables import (
    INDICATOR_COLUMNS as INDICATOR_COLUMNS,
)
from lingyi.ui.tables import (
    RATE_COLUMNS as RATE_COLUMNS,
)
from lingyi.ui.tables import (
    WRAPPED_FINDINGS as WRAPPED_FINDINGS,
)
from lingyi.ui.tables import (
    data_table as data_table,
)
from lingyi.ui.tables import (
    findings_table as findings_table,
)
from lingyi.ui.tables import (
    table as table,
)
from lingyi.ui.upload import (
    _PREVIEW_COLUMNS as _PREVIEW_COLUMNS,
)
from lingyi.ui.upload import (
    _UPLOAD_CHECKS as _UPLOAD_CHECKS,
)
from lingyi.ui.upload import (
    _UPLOAD_RESULTS as _UPLOAD_RESULTS,
)
from lingyi.ui.upload import (
    _UPLOADER_WORDS as _UPLOADER_WORDS,
)
from lingyi.ui.upload import (
    _VERDICT_ICONS as _VERDICT_ICONS,
)
from lingyi.ui.upload import (
    HOTLINE_SOURCE as HOTLINE_SOURCE,
)
from lingyi.ui.upload import (
    PREVIEW_ROWS as PREVIEW_ROWS,
)
from lingyi.ui.upload import (
    UPLOAD_UNIT_PREFIX as UPLOAD_UNIT_PREFIX,
)
from lingyi.ui.upload import (
    _check_one as _check_one,
)
from lingyi.ui.upload import (
    _confirm_key as _confirm_key,
)
from lingyi.ui.upload import (
    _feedback_downloads as _feedback_downloads,
)
from lingyi.ui.upload import (
    _upload_unit_key as _upload_unit_key,
)
from lingyi.ui.upload import (
    checked_file as checked_file,
)
from lingyi.ui.upload import (
    checked_uploads as checked_uploads,
)
from lingyi.ui.upload import (
    confirmed_replacements as confirmed_replacements,
)
from lingyi.ui.upload import (
    hotline_source_setting as hotline_source_setting,
)
from lingyi.ui.upload import (
    replacement_notice as replacement_notice,
)
from lingyi.ui.upload import (
    template_downloads as template_downloads,
)
from lingyi.ui.upload import (
    ticket_progress as ticket_progress,
)
from lingyi.ui.upload import (
    upload_results as upload_results,
)
from lingyi.ui.upload import (
    upload_stored as upload_stored,
)
from lingyi.ui.upload import (
    uploader_in_chinese as uploader_in_chinese,
)
from lingyi.ui.writes import (
    _DESK_MESSAGE as _DESK_MESSAGE,
)
from lingyi.ui.writes import (
    _write as _write,
)
from lingyi.ui.writes import (
    desk_message as desk_message,
)
from lingyi.ui.writes import (
    show_desk_message as show_desk_message,
)
