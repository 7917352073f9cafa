import {registry} from "@web/core/registry";

// A participant tells, on her phone, that she cannot come to her appointment.
registry.category("web_tour.tours").add("integration_participant_decline_tour", {
    steps: () => [
        {
            content: "Her appointment is listed",
            trigger: ".o_integration_appointment:contains('Rathausplatz 1')",
        },
        {
            content: "She cannot come",
            trigger: ".o_integration_appointment button.o_integration_decline",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "She is thanked",
            trigger: ".o_integration_declined",
        },
        {
            content: "The appointment shows her answer",
            trigger: ".o_integration_appointment .badge.text-bg-warning",
        },
    ],
});
