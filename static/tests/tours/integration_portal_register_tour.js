import {registry} from "@web/core/registry";

// A training partner takes one course day's attendance on her phone.
registry.category("web_tour.tours").add("integration_portal_register_tour", {
    steps: () => [
        {
            content: "Open the course",
            trigger: "a:contains('Orientation')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open today's register",
            trigger: ".o_integration_new_date button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Hawa is absent today",
            trigger:
                ".o_integration_register .list-group-item:contains('Hawa Eins') label:contains('Absent')",
            run: "click",
        },
        {
            content: "Save the register",
            trigger: ".o_integration_register button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The register is saved",
            trigger: ".o_integration_register_saved",
        },
        {
            content: "Her absence stays marked",
            trigger:
                ".list-group-item:contains('Hawa Eins') input[value=absent]:checked",
        },
    ],
});
