from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .reader_lang import programme_lang, reader_env
from .surface_access import checked_activity_ids, checked_message_ids

PLAN_STATES = [
    ("draft", "Draft"),
    ("agreed", "Agreed"),
    ("superseded", "Superseded"),
]

# Fields Odoo itself writes on any record (chatter, activities): no change of
# what was agreed.
MAIL_FIELDS = frozenset(
    {
        "message_main_attachment_id",
        "message_follower_ids",
        "message_ids",
        "activity_ids",
    }
)
UNFREEZE = "integration_plan_unfreeze"
# Set by the actions that agree and supersede versions, the only ways to do it.
AGREEING = "integration_plan_agreeing"
# Set by her signature on the portal, the only way to write one.
SIGNING = "integration_plan_signing"
SIGNATURE_FIELDS = frozenset({"signature", "signed_by", "signed_on"})


def check_not_frozen(records, vals=None, allowed=frozenset()):
    """An agreed version of a plan (its goals and steps) is what she and her
    coach agreed on a date: it never changes. Anonymisation alone wipes it."""
    if records.env.context.get(UNFREEZE):
        return
    if vals is not None and not set(vals) - MAIL_FIELDS - allowed:
        return
    frozen = records.filtered(lambda record: record.plan_state != "draft")
    if frozen:
        raise UserError(
            records.env._(
                "Version %(version)s of the plan of %(name)s was agreed and cannot "
                "be changed any more. Start a new version to change goals or steps.",
                version=frozen[0].plan_version,
                name=frozen[0].participant_id.name,
            )
        )


class IntegrationPlan(models.Model):
    """One version of a participant's integration plan: goals with steps, who does
    what by when. A draft is worked out with her, then agreed on a date and
    frozen; the next version starts as a copy of the last one."""

    _name = "integration.plan"
    _description = "Integration Plan"
    _inherit = [
        "integration.input.mixin",
        "integration.participant.record",
        "integration.organisation.access",
        "mail.thread",
        "mail.activity.mixin",
    ]
    message_ids = checked_message_ids()
    activity_ids = checked_activity_ids()
    _order = "participant_id, version desc, id desc"
    _organisation_access_fields = ("participant_id",)
    _integration_max_lengths = {"note": 5000}

    version = fields.Integer(readonly=True, copy=False, default=0)
    state = fields.Selection(
        PLAN_STATES,
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    # The names the freezing check reads on plans, goals and steps alike.
    plan_state = fields.Selection(related="state", string="Plan State")
    plan_version = fields.Integer(related="version", string="Plan Version")
    date_agreed = fields.Date(
        string="Agreed On", readonly=True, copy=False, tracking=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
        help="Who worked out this version with her, usually her coach.",
    )
    goal_ids = fields.One2many(
        "integration.plan.goal", "plan_id", string="Goals", copy=True
    )
    step_ids = fields.One2many("integration.plan.step", "plan_id", string="Steps")
    note = fields.Text(
        string="Agreements",
        help="What else was agreed, e.g. how often she and her coach meet.",
    )
    progress = fields.Float(
        compute="_compute_progress",
        store=True,
        aggregator="avg",
        help="Average progress of the goals (each goal counts the same).",
    )
    step_open_count = fields.Integer(
        string="Open Steps", compute="_compute_progress", store=True
    )
    # Her signature on the portal, which agrees the version.
    signature = fields.Image(
        help="Her signature on the portal, by which she agreed this version.",
        copy=False,
        attachment=True,
        max_width=1024,
        max_height=1024,
        readonly=True,
    )
    signed_by = fields.Char(help="The name she signed with.", copy=False, readonly=True)
    signed_on = fields.Datetime(copy=False, readonly=True)

    # One draft per participant: two drafts would be two truths.
    _one_draft_idx = models.UniqueIndex(
        "(participant_id) WHERE state = 'draft'",
        "She has a draft of her plan already: work on that one.",
    )
    _version_uniq = models.UniqueIndex(
        "(participant_id, version) WHERE version > 0",
        "This version number of her plan exists already.",
    )

    @api.depends("goal_ids.progress", "goal_ids.step_ids.status")
    def _compute_progress(self):
        for plan in self:
            goals = plan.goal_ids
            plan.progress = sum(goals.mapped("progress")) / len(goals) if goals else 0.0
            plan.step_open_count = len(
                goals.step_ids.filtered(lambda s: s.status in ("todo", "in_progress"))
            )

    @api.depends("participant_id", "version", "state")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = self.env._(
                "Plan of %(name)s, version %(version)s",
                name=plan.participant_id.name or "",
                version=plan.version,
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._integration_check_vals(vals)
            # A version is agreed by action_agree, never created agreed.
            vals.update(state="draft", date_agreed=False)
        # The one-draft index must see a version agreed earlier in this request.
        self.flush_model(["state"])
        plans = super().create(vals_list)
        for plan in plans:
            previous = self.sudo().search(
                [
                    ("participant_id", "=", plan.participant_id.id),
                    ("id", "!=", plan.id),
                ],
                order="version desc",
                limit=1,
            )
            plan.version = previous.version + 1
        return plans

    def write(self, vals):
        self._integration_check_vals(vals)
        if SIGNATURE_FIELDS & set(vals) and not self.env.context.get(SIGNING):
            raise UserError(
                self.env._("A plan is signed by her on her portal, by no one else.")
            )
        if {"state", "date_agreed"} & set(vals) and not self.env.context.get(AGREEING):
            raise UserError(
                self.env._(
                    "A plan is agreed with the button 'Agreed with Her', and "
                    "changed by a new version."
                )
            )
        # Its steps check themselves: their status moves on an agreed version.
        check_not_frozen(self, vals, allowed={"step_ids"})
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_agreed(self):
        check_not_frozen(self)

    # ------------------------------------------------------------------
    # Versions
    # ------------------------------------------------------------------
    def action_agree(self):
        """She and her coach agree this version today: it is frozen from now on,
        and the version agreed before is superseded."""
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("Only a draft of the plan can be agreed."))
            if not plan.goal_ids:
                raise ValidationError(
                    self.env._("Set at least one goal before the plan is agreed.")
                )
            without_steps = plan.goal_ids.filtered(lambda goal: not goal.step_ids)
            if without_steps:
                raise ValidationError(
                    self.env._(
                        "Each goal needs at least one step before the plan is "
                        "agreed: %(goals)s.",
                        goals=", ".join(without_steps.mapped("name")),
                    )
                )
            earlier = self.search(
                [
                    ("participant_id", "=", plan.participant_id.id),
                    ("state", "=", "agreed"),
                ]
            )
            earlier.with_context(**{UNFREEZE: True, AGREEING: True}).write(
                {"state": "superseded"}
            )
            plan.with_context(**{AGREEING: True}).write(
                {"state": "agreed", "date_agreed": fields.Date.context_today(self)}
            )
        return True

    def _sign(self, name, signature):
        """She signs this draft on her portal: her signature, name and the time
        are stored with the version, which is agreed (and frozen) by it."""
        self.ensure_one()
        name = (name or "").strip()
        if self.state != "draft":
            raise UserError(self.env._("Only a draft of the plan can be signed."))
        if not name or not signature:
            raise UserError(self.env._("Write your name and sign, please."))
        # A plan that cannot be agreed (no goal, a goal without steps) keeps
        # no signature either.
        with self.env.cr.savepoint():
            self.with_context(**{SIGNING: True}).write(
                {
                    "signature": signature,
                    "signed_by": name[:120],
                    "signed_on": fields.Datetime.now(),
                }
            )
            self.action_agree()
        # A note for the programme's staff: in their language.
        staff_env = reader_env(self.env, programme_lang(self))
        self.message_post(
            body=staff_env._(
                "Version %(version)s signed by %(name)s on her portal.",
                version=self.version,
                name=self.signed_by,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_new_version(self):
        """A new draft copied from her latest version (goals, steps and their
        status), to change what was agreed."""
        self.ensure_one()
        participant = self.participant_id
        latest = self.search([("participant_id", "=", participant.id)], limit=1)
        if latest.state == "draft":
            raise UserError(
                self.env._(
                    "Version %(version)s is still a draft: change that one.",
                    version=latest.version,
                )
            )
        new = latest.copy({"participant_id": participant.id})
        new.message_post(
            body=self.env._(
                "Started from version %(version)s.", version=latest.version
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
            "target": "current",
        }
