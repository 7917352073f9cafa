"""Portal pages of the partner organisations: Jobcenters and training partners.

Their logins are portal users without any access right on the addon's models.
Everything they see or change goes through these routes, which read and write
with ``sudo()`` under three rules that every route keeps:

1. the records come from a domain built on the server from the login's own
   organisation (``_organisation``), never from an id alone: an id the user sends
   is looked up *inside* that domain, and an unknown one is a 404;
2. only the fields listed in the templates are rendered (the participant's notes,
   health, sessions, contact data and chatter are never read here);
3. writes take only the values named in each route, parsed and checked here,
   never the submitted form as a dict.
"""

import base64

from werkzeug.exceptions import Forbidden, NotFound

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal, pager

JOBCENTER_GROUP = "integration_program.group_jobcenter"
TRAINING_PARTNER_GROUP = "integration_program.group_training_partner"
# A signed consent form: a scan or a photo from a phone.
CONSENT_MIMETYPES = ("application/pdf", "image/jpeg", "image/png")
CONSENT_MAX_BYTES = 10 * 1024 * 1024
NAME_MAX_LENGTH = 120
REASON_MAX_LENGTH = 4000


class IntegrationPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # Who is asking
    # ------------------------------------------------------------------
    def _organisation(self, group):
        """The login's organisation, if the login has the role ``group``;
        otherwise the page does not exist for it."""
        user = request.env.user
        if not user.has_group(group):
            raise NotFound()
        organisation = user.partner_id.commercial_partner_id
        if not organisation.is_company:
            # A login outside any organisation sees nothing (and is told why).
            raise Forbidden(
                request.env._(
                    "Your login belongs to no organisation. Ask the programme "
                    "staff to link your contact to your organisation."
                )
            )
        return organisation

    @staticmethod
    def _record_within(model, domain, record_id):
        """The record ``record_id`` of ``model``, read as superuser, only if it lies
        inside ``domain`` (built on the server from the login's organisation);
        any other id, existing or not, is a 404. Every id a browser sends to
        these pages is looked up here."""
        record = (
            request.env[model]
            .sudo()
            .search(Domain(domain) & Domain("id", "=", record_id), limit=1)
        )
        if not record:
            raise NotFound()
        return record

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        user = request.env.user
        organisation = user.partner_id.commercial_partner_id
        for counter, group, model, domain in (
            (
                "integration_referral_count",
                JOBCENTER_GROUP,
                "integration.referral",
                self._referral_domain,
            ),
            (
                "integration_course_count",
                TRAINING_PARTNER_GROUP,
                "integration.course",
                self._course_domain,
            ),
            (
                "integration_placement_count",
                TRAINING_PARTNER_GROUP,
                "integration.placement",
                self._placement_domain,
            ),
        ):
            if counter in counters:
                values[counter] = (
                    request.env[model].sudo().search_count(domain(organisation))
                    if user.has_group(group)
                    else 0
                )
        return values

    @staticmethod
    def _programs():
        """The programmes a partner organisation may refer women to."""
        return request.env["integration.program"].sudo().search([("active", "=", True)])

    @staticmethod
    def _program_from_post(post, programs, errors):
        """The programme the form names (one of ``programs``), else the first."""
        program = programs[:1]
        if post.get("program_id"):
            program = programs.filtered(lambda p: str(p.id) == str(post["program_id"]))
        if not program:
            errors.append(request.env._("Choose the programme."))
        return program

    @staticmethod
    def _read_upload(upload, max_bytes, too_large, errors):
        """The bytes of an uploaded file, read no further than ``max_bytes``;
        None (and the message ``too_large``) beyond, None without a file."""
        if not upload or not getattr(upload, "filename", None):
            return None
        content = upload.read(max_bytes + 1)
        if len(content) > max_bytes:
            errors.append(too_large)
            return None
        return content

    # ------------------------------------------------------------------
    # Jobcenter: referrals
    # ------------------------------------------------------------------
    @staticmethod
    def _referral_domain(organisation):
        return Domain("jobcenter_id", "=", organisation.id)

    def _referral_of(self, organisation, referral_id):
        return self._record_within(
            "integration.referral", self._referral_domain(organisation), referral_id
        )

    @http.route(
        ["/my/referrals", "/my/referrals/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_referrals(self, page=1, search="", **kw):
        organisation = self._organisation(JOBCENTER_GROUP)
        referrals_sudo = request.env["integration.referral"].sudo()
        domain = self._referral_domain(organisation)
        search = (search or "").strip()[:NAME_MAX_LENGTH]
        if search:
            # Searching by name finds only the women whose data she shares.
            domain &= Domain(
                "participant_id",
                "any",
                Domain("shared_with_partner_ids", "in", organisation.ids)
                & (
                    Domain("name", "ilike", search)
                    | Domain("jobcenter_customer_number", "ilike", search)
                ),
            )
        total = referrals_sudo.search_count(domain)
        portal_pager = pager(
            url="/my/referrals",
            url_args={"search": search},
            total=total,
            page=page,
            step=self._items_per_page,
        )
        referrals = referrals_sudo.search(
            domain, limit=self._items_per_page, offset=portal_pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "integration_referrals",
                "referrals": referrals,
                "shared": {r.id: r._is_shared_with_jobcenter() for r in referrals},
                "pager": portal_pager,
                "search": search,
                "default_url": "/my/referrals",
            }
        )
        return request.render("integration_program.portal_my_referrals", values)

    @http.route(
        ["/my/referrals/<int:referral_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_referral(self, referral_id, **kw):
        organisation = self._organisation(JOBCENTER_GROUP)
        referral = self._referral_of(organisation, referral_id)
        if not referral._is_shared_with_jobcenter():
            # Without her consent there is nothing of her to show.
            return request.redirect("/my/referrals?unshared=1")
        participant = referral.participant_id
        # Who opened her record, and when: in her audit trail, as a form read.
        participant._audit("read")
        values = self._prepare_portal_layout_values()
        partner = request.env.user.partner_id
        values.update(
            {
                "page_name": "integration_referral",
                "referral": referral,
                "participant": participant,
                "enrollments": participant.enrollment_ids,
                "placements": participant.placement_ids,
                # The portal chatter of the referral (not of her record): the
                # messages between the Jobcenter and programme staff.
                "object": referral,
                "pid": partner.id,
                "hash": referral._sign_token(partner.id),
                "disable_composer": False,
            }
        )
        return request.render("integration_program.portal_my_referral", values)

    @http.route(
        ["/my/referrals/new"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_referral_new(self, **post):
        organisation = self._organisation(JOBCENTER_GROUP)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "integration_referral_new",
                "post": post,
                "errors": [],
                "programs": self._programs(),
                "german_levels": request.env["integration.participant"]
                ._fields["german_level"]
                ._description_selection(request.env),
            }
        )
        if request.httprequest.method == "POST":
            try:
                vals, consent_file = self._parse_referral(post, values["programs"])
                referral = self._create_referral(organisation, vals, consent_file)
            except (UserError, ValidationError) as error:
                request.env.cr.rollback()
                values["errors"] = [error.args[0]]
            else:
                if referral._is_shared_with_jobcenter():
                    return request.redirect(referral.access_url)
                return request.redirect(f"/my/referrals?referred={referral.id}")
        return request.render("integration_program.portal_referral_new", values)

    def _parse_referral(self, post, programs):
        """The referral's values, checked one by one: a social worker's clear
        message for every wrong or missing input."""
        errors = []
        vals = {
            **self._parse_person(post, errors),
            **self._parse_contact(post, errors),
        }
        vals["program_id"] = self._program_from_post(post, programs, errors).id
        vals["reason"] = str(post.get("reason") or "").strip()
        if len(vals["reason"]) > REASON_MAX_LENGTH:
            errors.append(
                request.env._(
                    "The reason has at most %(max)s characters.",
                    max=REASON_MAX_LENGTH,
                )
            )
        consent_file = self._parse_consent_file(post.get("consent_document"), errors)
        if errors:
            raise ValidationError("\n".join(errors))
        return vals, consent_file

    @staticmethod
    def _parse_person(post, errors):
        env = request.env
        name = " ".join(str(post.get("name") or "").split())
        if not name:
            errors.append(env._("Enter her name."))
        elif len(name) > NAME_MAX_LENGTH:
            errors.append(
                env._("A name has at most %(max)s characters.", max=NAME_MAX_LENGTH)
            )
        birthdate = False
        if post.get("birthdate"):
            try:
                birthdate = fields.Date.to_date(post["birthdate"])
            except ValueError:
                errors.append(env._("Enter her date of birth as a date."))
            else:
                if birthdate > fields.Date.context_today(env.user):
                    errors.append(env._("Her date of birth lies in the future."))
        levels = dict(env["integration.participant"]._fields["german_level"].selection)
        german_level = post.get("german_level") or False
        if german_level and german_level not in levels:
            errors.append(env._("Choose her level of German from the list."))
        return {"name": name, "birthdate": birthdate, "german_level": german_level}

    @staticmethod
    def _parse_contact(post, errors):
        env = request.env
        short_texts = {}
        for key, label, maximum in (
            ("email", env._("E-mail"), 120),
            ("phone", env._("Phone"), 40),
            ("jobcenter_customer_number", env._("Customer number"), 40),
        ):
            text = " ".join(str(post.get(key) or "").split())
            if len(text) > maximum:
                errors.append(
                    env._(
                        "%(field)s has at most %(max)s characters.",
                        field=label,
                        max=maximum,
                    )
                )
            short_texts[key] = text or False
        if short_texts["email"] and "@" not in short_texts["email"]:
            errors.append(
                env._("%(email)s is not an e-mail address.", email=post["email"])
            )
        return short_texts

    def _parse_consent_file(self, upload, errors):
        content = self._read_upload(
            upload,
            CONSENT_MAX_BYTES,
            request.env._("The signed form may be at most 10 MB large."),
            errors,
        )
        if content is None:
            return None
        mimetype = upload.mimetype or ""
        if mimetype not in CONSENT_MIMETYPES:
            errors.append(
                request.env._("Attach the signed form as a PDF, JPEG or PNG file.")
            )
            return None
        return {"name": upload.filename[:200], "content": content}

    def _create_referral(self, organisation, vals, consent_file):
        """Register her, the referral and the consent it carries. Runs as
        superuser with the values parsed above; her referrer is the login's own
        organisation, she starts in intake, and the consent waits for staff."""
        env = request.env
        user = env.user
        # Already registered (the duplicate rule): her referral is linked to her
        # record, with nothing of it changed, and the Jobcenter is told the same
        # as for anyone new: a referral must not reveal who is registered.
        registered = env["integration.participant"]._find_registered(
            vals["name"], vals["birthdate"], vals["jobcenter_customer_number"]
        )
        participant = registered or (
            env["integration.participant"]
            .sudo()
            .create(
                {
                    "program_id": vals["program_id"],
                    "name": vals["name"],
                    "birthdate": vals["birthdate"],
                    "email": vals["email"],
                    "phone": vals["phone"],
                    "jobcenter_customer_number": vals["jobcenter_customer_number"],
                    "german_level": vals["german_level"],
                    "referrer_id": organisation.id,
                    "user_id": False,
                }
            )
        )
        consent = env["integration.consent"]
        if consent_file:
            consent = consent.sudo().create(
                {
                    "participant_id": participant.id,
                    "purpose": "data_sharing",
                    "recipient_ids": [fields.Command.set(organisation.ids)],
                    "to_confirm": True,
                    "document": base64.b64encode(consent_file["content"]),
                    "document_name": consent_file["name"],
                    "note": env._("Received with the Jobcenter's referral."),
                }
            )
        referral = (
            env["integration.referral"]
            .sudo()
            .create(
                {
                    "participant_id": participant.id,
                    "jobcenter_id": organisation.id,
                    "user_id": user.id,
                    "reason": vals["reason"],
                    "consent_id": consent.id,
                }
            )
        )
        referral.message_subscribe(partner_ids=user.partner_id.ids)
        referral._notify_programme_staff()
        if registered:
            registered.message_post(
                body=env._(
                    "This referral by %(jobcenter)s matched her record (same "
                    "customer number, or same name and date of birth); nothing of "
                    "her record was changed. The Jobcenter sent: %(name)s, born "
                    "%(birthdate)s, customer number %(number)s, e-mail %(email)s, "
                    "phone %(phone)s.",
                    jobcenter=organisation.name,
                    name=vals["name"],
                    birthdate=vals["birthdate"] or "—",
                    number=vals["jobcenter_customer_number"] or "—",
                    email=vals["email"] or "—",
                    phone=vals["phone"] or "—",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return referral

    # ------------------------------------------------------------------
    # Training partners: courses, attendance, completion, placements
    # ------------------------------------------------------------------
    @staticmethod
    def _course_domain(organisation):
        return Domain("organizer_ids", "child_of", organisation.id)

    @staticmethod
    def _placement_domain(organisation):
        return Domain("partner_id", "child_of", organisation.id)

    def _course_of(self, organisation, course_id):
        return self._record_within(
            "integration.course", self._course_domain(organisation), course_id
        )

    @http.route(
        ["/my/courses", "/my/courses/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_courses(self, page=1, **kw):
        organisation = self._organisation(TRAINING_PARTNER_GROUP)
        courses_sudo = request.env["integration.course"].sudo()
        domain = self._course_domain(organisation)
        portal_pager = pager(
            url="/my/courses",
            total=courses_sudo.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "integration_courses",
                "courses": courses_sudo.search(
                    domain, limit=self._items_per_page, offset=portal_pager["offset"]
                ),
                "pager": portal_pager,
                "default_url": "/my/courses",
            }
        )
        return request.render("integration_program.portal_my_courses", values)

    @http.route(
        ["/my/courses/<int:course_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_course(self, course_id, error=None, **kw):
        organisation = self._organisation(TRAINING_PARTNER_GROUP)
        course = self._course_of(organisation, course_id)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "integration_course",
                "course": course,
                "enrollments": course.enrollment_ids.filtered(
                    lambda enrollment: enrollment.state != "waitlist"
                ).sorted(lambda enrollment: enrollment.participant_id.name or ""),
                "waitlist_count": course.waitlist_count,
                "course_dates": course.date_ids,
                "today": fields.Date.context_today(request.env.user),
                "error": error,
            }
        )
        return request.render("integration_program.portal_my_course", values)

    @http.route(
        ["/my/courses/<int:course_id>/dates"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_course_date_new(self, course_id, date=None, topic="", **kw):
        organisation = self._organisation(TRAINING_PARTNER_GROUP)
        course = self._course_of(organisation, course_id)
        try:
            day = fields.Date.to_date(date) if date else None
        except ValueError:
            day = None
        if not day:
            return request.redirect(f"/my/courses/{course.id}?error=date")
        course_date = course.date_ids.filtered(lambda d: d.date == day)
        if not course_date:
            try:
                course_date = (
                    request.env["integration.course.date"]
                    .sudo()
                    .create(
                        {
                            "course_id": course.id,
                            "date": day,
                            "topic": str(topic or "").strip()[:200],
                        }
                    )
                )
            except ValidationError:
                request.env.cr.rollback()
                return request.redirect(f"/my/courses/{course.id}?error=range")
        return request.redirect(f"/my/courses/{course.id}/dates/{course_date.id}")

    @http.route(
        ["/my/courses/<int:course_id>/dates/<int:date_id>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_course_register(self, course_id, date_id, **post):
        organisation = self._organisation(TRAINING_PARTNER_GROUP)
        course = self._course_of(organisation, course_id)
        course_date = course.date_ids.filtered(lambda d: d.id == date_id)
        if not course_date:
            raise NotFound()
        saved = False
        if request.httprequest.method == "POST":
            states = {}
            for key, state in post.items():
                if key.startswith("attendance_"):
                    try:
                        states[int(key.removeprefix("attendance_"))] = state
                    except ValueError as error:
                        raise NotFound() from error
            try:
                course_date._record_attendance(states)
            except ValidationError as error:
                request.env.cr.rollback()
                raise Forbidden(error.args[0]) from error
            saved = True
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "integration_course_register",
                "course": course,
                "course_date": course_date,
                "enrollments": course_date._register_enrollments(),
                "states": {
                    attendance.enrollment_id.id: attendance.state
                    for attendance in course_date.attendance_ids
                },
                "saved": saved,
            }
        )
        return request.render("integration_program.portal_course_register", values)

    @http.route(
        ["/my/courses/<int:course_id>/enrollments/<int:enrollment_id>/complete"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_enrollment_complete(
        self, course_id, enrollment_id, certificate=None, **kw
    ):
        organisation = self._organisation(TRAINING_PARTNER_GROUP)
        course = self._course_of(organisation, course_id)
        enrollment = course.enrollment_ids.filtered(
            lambda e: e.id == enrollment_id and e.state == "enrolled"
        )
        if not enrollment:
            raise NotFound()
        enrollment.write(
            {
                "state": "completed",
                "certificate_obtained": bool(certificate),
                "date_end": fields.Date.context_today(request.env.user),
            }
        )
        enrollment.message_post(
            body=request.env._(
                "Completion recorded by %(user)s (%(organisation)s).",
                user=request.env.user.name,
                organisation=organisation.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return request.redirect(f"/my/courses/{course.id}")

    @http.route(
        ["/my/placements"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_placements(self, **kw):
        organisation = self._organisation(TRAINING_PARTNER_GROUP)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "integration_placements",
                "placements": request.env["integration.placement"]
                .sudo()
                .search(self._placement_domain(organisation), limit=500),
            }
        )
        return request.render("integration_program.portal_my_placements", values)

    def _placeable_enrollments(self, organisation):
        """Whom a training partner may place: the women of its own courses."""
        return (
            request.env["integration.enrollment"]
            .sudo()
            .search(
                Domain("course_id", "any", self._course_domain(organisation))
                & Domain("state", "in", ("enrolled", "completed"))
                & Domain("participant_id.milestone", "!=", "exited")
            )
        )

    @http.route(
        ["/my/placements/new"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_placement_new(self, **post):
        organisation = self._organisation(TRAINING_PARTNER_GROUP)
        participants = self._placeable_enrollments(organisation).participant_id
        placement_types = {
            key: label
            for key, label in request.env["integration.placement"]
            ._fields["placement_type"]
            ._description_selection(request.env)
            if key in ("training", "employment", "internship")
        }
        errors = []
        if request.httprequest.method == "POST":
            participant = participants.filtered(
                lambda p: str(p.id) == str(post.get("participant_id"))
            )
            if not participant:
                errors.append(request.env._("Choose one of the women in your courses."))
            placement_type = post.get("placement_type")
            if placement_type not in placement_types:
                errors.append(request.env._("Choose the kind of placement."))
            try:
                date_start = fields.Date.to_date(post.get("date_start") or None)
            except ValueError:
                date_start = None
            if not date_start:
                errors.append(request.env._("Enter the start date."))
            if not errors:
                try:
                    placement = (
                        request.env["integration.placement"]
                        .sudo()
                        .create(
                            {
                                "participant_id": participant.id,
                                "placement_type": placement_type,
                                "partner_id": organisation.id,
                                "date_start": date_start,
                                "state": "active",
                            }
                        )
                    )
                except (UserError, ValidationError) as error:
                    request.env.cr.rollback()
                    errors.append(error.args[0])
                else:
                    placement.message_post(
                        body=request.env._(
                            "Started by %(user)s (%(organisation)s) on the portal.",
                            user=request.env.user.name,
                            organisation=organisation.name,
                        ),
                        subtype_xmlid="mail.mt_note",
                    )
                    return request.redirect("/my/placements?started=1")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "integration_placement_new",
                "participants": participants.sorted("name"),
                "placement_types": placement_types,
                "post": post,
                "errors": errors,
            }
        )
        return request.render("integration_program.portal_placement_new", values)
