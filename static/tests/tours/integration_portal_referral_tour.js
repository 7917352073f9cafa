import {registry} from "@web/core/registry";

// A Jobcenter case worker refers a woman on her portal, with the signed form.
registry.category("web_tour.tours").add("integration_portal_referral_tour", {
    steps: () => [
        {
            content: "Fill in her name",
            trigger: ".o_integration_referral_form input[name=name]",
            run: "edit Nour Portal",
        },
        {
            content: "Her date of birth",
            trigger: ".o_integration_referral_form input[name=birthdate]",
            run() {
                this.anchor.value = "1991-04-12";
            },
        },
        {
            content: "Her customer number",
            trigger:
                ".o_integration_referral_form input[name=jobcenter_customer_number]",
            run: "edit 123T456789",
        },
        {
            content: "Why she is referred",
            trigger: ".o_integration_referral_form textarea[name=reason]",
            run: "edit Wants to train as a care assistant.",
        },
        {
            content: "Attach the signed consent form",
            trigger: ".o_integration_referral_form input[name=consent_document]",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File(["%PDF-1.4 signed consent"], "consent-nour.pdf", {
                        type: "application/pdf",
                    })
                );
                this.anchor.files = transfer.files;
            },
        },
        {
            content: "Send the referral",
            trigger: ".o_integration_referral_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The referral went out and waits for the consent to be confirmed",
            trigger: ".alert-success:contains('referral was sent')",
        },
    ],
});

// Later, once the programme confirmed her consent: her status.
registry.category("web_tour.tours").add("integration_portal_referral_status_tour", {
    steps: () => [
        {
            content: "Open her referral",
            trigger: "a:contains('Nour Portal')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Her stage in the programme",
            trigger: "h2.o_integration_referral_name:contains('Nour Portal')",
        },
        {
            content: "Her stage is shown",
            trigger: ".o_integration_stage:not(:empty)",
        },
        {
            content: "Her course and attendance",
            trigger: "td:contains('100 %')",
        },
    ],
});
