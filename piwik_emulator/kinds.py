"""Names of the document kinds in the store (one per Piwik PRO object the emulator keeps)."""

APP = "app"
TRACKER_GLOBAL = "tracker_global"
TRACKER_APP = "tracker_app"
TAG = "tag"
TRIGGER = "trigger"
VARIABLE = "variable"
VERSION = "version"
OPERATION = "operation"
CUSTOM_DIMENSION = "custom_dimension"
CONSENT_TEMPLATE = "consent_template"

APP_CHILD_KINDS = (TRACKER_APP, TAG, TRIGGER, VARIABLE, VERSION, OPERATION, CUSTOM_DIMENSION, CONSENT_TEMPLATE)
# Not a child of an app: an app's entries outlive the app, as an audit trail must.
AUDIT_ENTRY = "audit_entry"
