/* Sightline call HUD: what it shows
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The HUD's state and its untrusted inputs.  Every text is made safe to
 * draw (gst_sl_hud_sanitize()), and a group call's participant list, a
 * GstCaps of "participant" structures, is checked against a table of
 * known fields before any of it is used: one bad field refuses the whole
 * list with an error that names it, so that the HUD never shows half of
 * an update.
 *
 * Why GstCaps for a list of records: it is refcounted and immutable (one
 * g_object_set replaces the whole list atomically), it serialises to and
 * from a string that gst-launch-1.0 accepts, and GStreamer 1.22 has no
 * other such type: a GST_TYPE_ARRAY of structures crashes its parser.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstslhudstate.h"

#include <string.h>

G_DEFINE_QUARK (gst - sl - hud - participants - error - quark,
    gst_sl_hud_participants_error);

GType
gst_sl_hud_call_state_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_SL_HUD_CALL_STATE_IDLE, "No call", "idle"},
    {GST_SL_HUD_CALL_STATE_CALLING, "Calling the peer", "calling"},
    {GST_SL_HUD_CALL_STATE_RINGING, "Incoming call", "ringing"},
    {GST_SL_HUD_CALL_STATE_CONNECTING, "Setting up media", "connecting"},
    {GST_SL_HUD_CALL_STATE_CONNECTED, "In a call", "connected"},
    {GST_SL_HUD_CALL_STATE_ON_HOLD, "On hold", "on-hold"},
    {GST_SL_HUD_CALL_STATE_RECONNECTING, "Media lost, reconnecting",
        "reconnecting"},
    {GST_SL_HUD_CALL_STATE_ENDED, "Call ended", "ended"},
    {GST_SL_HUD_CALL_STATE_FAILED, "Call failed", "failed"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSlHudCallState", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

GType
gst_sl_hud_security_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_SL_HUD_SECURITY_UNKNOWN, "No end-to-end keys yet", "unknown"},
    {GST_SL_HUD_SECURITY_SECURED, "Keys agreed, peer not authenticated: "
          "compare the SAS", "secured"},
    {GST_SL_HUD_SECURITY_VERIFIED, "Peer authenticated", "verified"},
    {GST_SL_HUD_SECURITY_FAILED, "Wrong code or interception detected",
        "failed"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSlHudSecurity", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

GType
gst_sl_hud_verified_by_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_SL_HUD_VERIFIED_BY_NONE, "Not said", "none"},
    {GST_SL_HUD_VERIFIED_BY_CODE, "The security code", "code"},
    {GST_SL_HUD_VERIFIED_BY_SAS, "Both users confirmed the SAS", "sas"},
    {GST_SL_HUD_VERIFIED_BY_CONTINUITY, "The key of an earlier verified call",
        "continuity"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSlHudVerifiedBy", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

static gboolean
is_unsafe_char (gunichar c)
{
  /* controls, line/paragraph separators and bidi overrides, which could
   * reorder what the wearer reads */
  return g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029 ||
      (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
      c == 0x200e || c == 0x200f || c == 0x061c;
}

/**
 * gst_sl_hud_sanitize:
 * @text: (nullable): untrusted text (peer name, chat line...)
 * @max_chars: longest result in characters, before the ellipsis
 *
 * Makes @text valid UTF-8, replaces control and bidi-override characters
 * by spaces, strips surrounding space and truncates with "…".
 *
 * Returns: (transfer full): the displayable text, never %NULL
 */
gchar *
gst_sl_hud_sanitize (const gchar * text, glong max_chars)
{
  g_autofree gchar *valid = NULL;
  GString *out;
  const gchar *p;
  glong n = 0;

  if (!text)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  out = g_string_new (NULL);
  for (p = valid; *p && n < max_chars; p = g_utf8_next_char (p), n++) {
    gunichar c = g_utf8_get_char (p);

    g_string_append_unichar (out, is_unsafe_char (c) ? ' ' : c);
  }
  if (*p)
    g_string_append (out, "…");
  return g_strstrip (g_string_free (out, FALSE));
}

static void
participant_copy (GstSlHudParticipant * dest, const GstSlHudParticipant * src)
{
  *dest = *src;
  dest->id = g_strdup (src->id);
  dest->name = g_strdup (src->name);
  dest->role = g_strdup (src->role);
  dest->sas = g_strdup (src->sas);
}

static void
participant_clear (GstSlHudParticipant * p)
{
  g_clear_pointer (&p->id, g_free);
  g_clear_pointer (&p->name, g_free);
  g_clear_pointer (&p->role, g_free);
  g_clear_pointer (&p->sas, g_free);
}

/**
 * gst_sl_hud_participants_free:
 * @participants: (nullable) (array length=n) (transfer full): a list
 * @n: its length
 */
void
gst_sl_hud_participants_free (GstSlHudParticipant * participants, guint n)
{
  guint i;

  for (i = 0; participants && i < n; i++)
    participant_clear (&participants[i]);
  g_free (participants);
}

/**
 * gst_sl_hud_state_copy:
 * @dest: (out caller-allocates): receives a deep copy; clear it with
 *     gst_sl_hud_state_clear()
 * @src: the state to copy
 */
void
gst_sl_hud_state_copy (GstSlHudState * dest, const GstSlHudState * src)
{
  guint i;

  *dest = *src;
  dest->peer_name = g_strdup (src->peer_name);
  dest->peer_role = g_strdup (src->peer_role);
  dest->sas = g_strdup (src->sas);
  dest->notice = g_strdup (src->notice);
  dest->chat = g_strdupv (src->chat);
  dest->participants = src->n_participants ?
      g_new0 (GstSlHudParticipant, src->n_participants) : NULL;
  for (i = 0; i < src->n_participants; i++)
    participant_copy (&dest->participants[i], &src->participants[i]);
}

/**
 * gst_sl_hud_state_clear:
 * @state: a state whose contents are freed (the struct itself is not)
 */
void
gst_sl_hud_state_clear (GstSlHudState * state)
{
  g_clear_pointer (&state->peer_name, g_free);
  g_clear_pointer (&state->peer_role, g_free);
  g_clear_pointer (&state->sas, g_free);
  g_clear_pointer (&state->notice, g_free);
  g_clear_pointer (&state->chat, g_strfreev);
  gst_sl_hud_participants_free (state->participants, state->n_participants);
  state->participants = NULL;
  state->n_participants = 0;
}

/* ---- the participant list ---------------------------------------------- */

typedef enum
{
  FIELD_STRING,
  FIELD_ENUM,
  FIELD_BOOLEAN,
  FIELD_INT,
  FIELD_DOUBLE,
} FieldKind;

typedef struct
{
  const gchar *name;
  FieldKind kind;
  gsize offset;
  /* strings: longest; numbers: range */
  gdouble min;
  gdouble max;
    GType (*enum_type) (void);
} Field;

#define P(member) G_STRUCT_OFFSET (GstSlHudParticipant, member)

static const Field fields[] = {
  {"id", FIELD_STRING, P (id), 0, GST_SL_HUD_MAX_ID_CHARS, NULL},
  {"name", FIELD_STRING, P (name), 0, GST_SL_HUD_MAX_NAME_CHARS, NULL},
  {"role", FIELD_STRING, P (role), 0, GST_SL_HUD_MAX_ROLE_CHARS, NULL},
  {"sas", FIELD_STRING, P (sas), 0, GST_SL_HUD_MAX_SAS_CHARS, NULL},
  {"security", FIELD_ENUM, P (security), 0, 0,
      gst_sl_hud_security_get_type},
  {"verified-by", FIELD_ENUM, P (verified_by), 0, 0,
      gst_sl_hud_verified_by_get_type},
  {"keys-changed", FIELD_BOOLEAN, P (keys_changed), 0, 0, NULL},
  {"sas-confirmed", FIELD_BOOLEAN, P (sas_confirmed), 0, 0, NULL},
  {"muted", FIELD_BOOLEAN, P (muted), 0, 0, NULL},
  {"camera-paused", FIELD_BOOLEAN, P (camera_paused), 0, 0, NULL},
  {"rtt-ms", FIELD_INT, P (rtt_ms), -1, 600000, NULL},
  {"loss-percent", FIELD_DOUBLE, P (loss_percent), -1, 100, NULL},
  {"bitrate-kbps", FIELD_INT, P (bitrate_kbps), -1, G_MAXINT, NULL},
};

#undef P

static const Field *
find_field (const gchar * name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (fields); i++) {
    if (g_str_equal (fields[i].name, name))
      return &fields[i];
  }
  return NULL;
}

static gchar *
enum_nicks (GType type)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (type);
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < klass->n_values; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "",
        klass->values[i].value_nick);
  return g_string_free (s, FALSE);
}

/* An enum field from its nick, the enum itself or its number. */
static gboolean
parse_enum (const Field * f, const GValue * v, gint * out, GError ** error,
    guint index)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (f->enum_type ());
  GEnumValue *ev = NULL;

  if (G_VALUE_HOLDS_STRING (v) && g_value_get_string (v))
    ev = g_enum_get_value_by_nick (klass, g_value_get_string (v));
  else if (G_VALUE_TYPE (v) == f->enum_type ())
    ev = g_enum_get_value (klass, g_value_get_enum (v));
  else if (G_VALUE_HOLDS_INT (v))
    ev = g_enum_get_value (klass, g_value_get_int (v));
  if (!ev) {
    g_autofree gchar *nicks = enum_nicks (f->enum_type ());
    g_autofree gchar *got = gst_value_serialize (v);

    g_set_error (error, GST_SL_HUD_PARTICIPANTS_ERROR,
        GST_SL_HUD_PARTICIPANTS_ERROR_INVALID,
        "participant %u: field '%s': %s is not one of %s", index, f->name,
        got ? got : "the value", nicks);
    return FALSE;
  }
  *out = ev->value;
  return TRUE;
}

static gboolean
parse_number (const Field * f, const GValue * v, gdouble * out,
    GError ** error, guint index)
{
  if (G_VALUE_HOLDS_INT (v))
    *out = g_value_get_int (v);
  else if (f->kind == FIELD_DOUBLE && G_VALUE_HOLDS_DOUBLE (v))
    *out = g_value_get_double (v);
  else {
    g_set_error (error, GST_SL_HUD_PARTICIPANTS_ERROR,
        GST_SL_HUD_PARTICIPANTS_ERROR_INVALID,
        "participant %u: field '%s' must be a%s number, not %s", index,
        f->name, f->kind == FIELD_INT ? "n integer" : "",
        G_VALUE_TYPE_NAME (v));
    return FALSE;
  }
  if (!(*out >= f->min && *out <= f->max)) {
    g_set_error (error, GST_SL_HUD_PARTICIPANTS_ERROR,
        GST_SL_HUD_PARTICIPANTS_ERROR_INVALID,
        "participant %u: field '%s': %g is outside %g..%g", index, f->name,
        *out, f->min, f->max);
    return FALSE;
  }
  return TRUE;
}

static gboolean
parse_field (GstSlHudParticipant * p, const gchar * name, const GValue * v,
    GError ** error, guint index)
{
  const Field *f = find_field (name);
  guint8 *base = (guint8 *) p;
  gdouble num;
  gint e;

  if (!f) {
    g_set_error (error, GST_SL_HUD_PARTICIPANTS_ERROR,
        GST_SL_HUD_PARTICIPANTS_ERROR_INVALID,
        "participant %u: unknown field '%s' (known: id, name, role, sas, "
        "security, verified-by, keys-changed, sas-confirmed, muted, "
        "camera-paused, rtt-ms, loss-percent, bitrate-kbps)", index, name);
    return FALSE;
  }
  switch (f->kind) {
    case FIELD_STRING:
      if (!G_VALUE_HOLDS_STRING (v)) {
        g_set_error (error, GST_SL_HUD_PARTICIPANTS_ERROR,
            GST_SL_HUD_PARTICIPANTS_ERROR_INVALID,
            "participant %u: field '%s' must be a string, not %s (in a "
            "string write %s=(string)\"...\")", index, f->name,
            G_VALUE_TYPE_NAME (v), f->name);
        return FALSE;
      }
      g_free (*(gchar **) (base + f->offset));
      *(gchar **) (base + f->offset) =
          gst_sl_hud_sanitize (g_value_get_string (v), (glong) f->max);
      return TRUE;
    case FIELD_ENUM:
      if (!parse_enum (f, v, &e, error, index))
        return FALSE;
      *(gint *) (base + f->offset) = e;
      return TRUE;
    case FIELD_BOOLEAN:
      if (!G_VALUE_HOLDS_BOOLEAN (v)) {
        g_set_error (error, GST_SL_HUD_PARTICIPANTS_ERROR,
            GST_SL_HUD_PARTICIPANTS_ERROR_INVALID,
            "participant %u: field '%s' must be true or false, not %s", index,
            f->name, G_VALUE_TYPE_NAME (v));
        return FALSE;
      }
      *(gboolean *) (base + f->offset) = g_value_get_boolean (v);
      return TRUE;
    case FIELD_INT:
    case FIELD_DOUBLE:
      if (!parse_number (f, v, &num, error, index))
        return FALSE;
      if (f->kind == FIELD_INT)
        *(gint *) (base + f->offset) = (gint) num;
      else
        *(gdouble *) (base + f->offset) = num;
      return TRUE;
  }
  g_assert_not_reached ();
  return FALSE;
}

static gboolean
parse_participant (const GstStructure * s, GstSlHudParticipant * p,
    GError ** error, guint index)
{
  guint i, n = gst_structure_n_fields (s);

  p->rtt_ms = -1;
  p->loss_percent = -1;
  p->bitrate_kbps = -1;
  if (!gst_structure_has_name (s, "participant")) {
    g_set_error (error, GST_SL_HUD_PARTICIPANTS_ERROR,
        GST_SL_HUD_PARTICIPANTS_ERROR_INVALID,
        "participant %u: structure '%s' is not a 'participant'", index,
        gst_structure_get_name (s));
    return FALSE;
  }
  for (i = 0; i < n; i++) {
    const gchar *name = gst_structure_nth_field_name (s, i);

    if (!parse_field (p, name, gst_structure_get_value (s, name), error, index))
      return FALSE;
  }
  if (!p->id || !*p->id) {
    g_set_error (error, GST_SL_HUD_PARTICIPANTS_ERROR,
        GST_SL_HUD_PARTICIPANTS_ERROR_INVALID,
        "participant %u: no id (a non-empty string)", index);
    return FALSE;
  }
  return TRUE;
}

/**
 * gst_sl_hud_participants_from_caps:
 * @caps: (nullable): "participant" structures, one per other participant;
 *     %NULL or empty: none
 * @participants: (out) (transfer full) (array length=n): the parsed list,
 *     free with gst_sl_hud_participants_free()
 * @n: (out): its length
 * @error: why the list was refused
 *
 * Checks every structure against the known fields (types, ranges, enum
 * nicks), sanitises every text and refuses duplicate ids and more than
 * %GST_SL_HUD_MAX_PARTICIPANTS entries.
 *
 * Returns: %TRUE with the list, or %FALSE with @error and nothing set
 */
gboolean
gst_sl_hud_participants_from_caps (const GstCaps * caps,
    GstSlHudParticipant ** participants, guint * n, GError ** error)
{
  GstSlHudParticipant *list;
  guint count, i, j;

  *participants = NULL;
  *n = 0;
  if (!caps || gst_caps_is_empty (caps))
    return TRUE;
  if (gst_caps_is_any (caps)) {
    g_set_error (error, GST_SL_HUD_PARTICIPANTS_ERROR,
        GST_SL_HUD_PARTICIPANTS_ERROR_INVALID,
        "participants: ANY is not a list of participants");
    return FALSE;
  }
  count = gst_caps_get_size (caps);
  if (count > GST_SL_HUD_MAX_PARTICIPANTS) {
    g_set_error (error, GST_SL_HUD_PARTICIPANTS_ERROR,
        GST_SL_HUD_PARTICIPANTS_ERROR_TOO_MANY,
        "participants: %u given, at most %d", count,
        GST_SL_HUD_MAX_PARTICIPANTS);
    return FALSE;
  }

  list = g_new0 (GstSlHudParticipant, count);
  for (i = 0; i < count; i++) {
    if (!parse_participant (gst_caps_get_structure (caps, i), &list[i], error,
            i + 1))
      goto refused;
    for (j = 0; j < i; j++) {
      if (g_str_equal (list[i].id, list[j].id)) {
        g_set_error (error, GST_SL_HUD_PARTICIPANTS_ERROR,
            GST_SL_HUD_PARTICIPANTS_ERROR_DUPLICATE,
            "participants %u and %u have the same id '%s'", j + 1, i + 1,
            list[i].id);
        goto refused;
      }
    }
  }
  *participants = list;
  *n = count;
  return TRUE;

refused:
  gst_sl_hud_participants_free (list, count);
  return FALSE;
}

static const gchar *
nick (GType type, gint value)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *ev = g_enum_get_value (klass, value);

  return ev ? ev->value_nick : "";
}

/**
 * gst_sl_hud_participants_to_caps:
 * @participants: (array length=n): a parsed list
 * @n: its length
 *
 * Returns: (transfer full): the list as it is shown, every field set,
 * texts sanitised, enums as their nicks
 */
GstCaps *
gst_sl_hud_participants_to_caps (const GstSlHudParticipant * participants,
    guint n)
{
  GstCaps *caps = gst_caps_new_empty ();
  guint i;

  for (i = 0; i < n; i++) {
    const GstSlHudParticipant *p = &participants[i];
    GstStructure *s = gst_structure_new ("participant", "id", G_TYPE_STRING,
        p->id, "security", G_TYPE_STRING,
        nick (GST_TYPE_SL_HUD_SECURITY, p->security),
        "verified-by", G_TYPE_STRING,
        nick (GST_TYPE_SL_HUD_VERIFIED_BY, p->verified_by),
        "keys-changed", G_TYPE_BOOLEAN, p->keys_changed,
        "sas-confirmed", G_TYPE_BOOLEAN, p->sas_confirmed,
        "muted", G_TYPE_BOOLEAN, p->muted,
        "camera-paused", G_TYPE_BOOLEAN, p->camera_paused,
        "rtt-ms", G_TYPE_INT, p->rtt_ms,
        "loss-percent", G_TYPE_DOUBLE, p->loss_percent,
        "bitrate-kbps", G_TYPE_INT, p->bitrate_kbps, NULL);

    if (p->name)
      gst_structure_set (s, "name", G_TYPE_STRING, p->name, NULL);
    if (p->role)
      gst_structure_set (s, "role", G_TYPE_STRING, p->role, NULL);
    if (p->sas)
      gst_structure_set (s, "sas", G_TYPE_STRING, p->sas, NULL);
    gst_caps_append_structure (caps, s);
  }
  return caps;
}
