import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("integration_coach_kanban_tour", {
    steps: () => [
        {
            content: "Her provider's participants are on the board",
            trigger: ".o_kanban_record:contains('Tour Own Qualification')",
        },
        {
            content: "Both of her coaching cards are there",
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('Coaching')) .o_kanban_record:contains('Tour Own Coaching B')",
        },
        {
            content: "No card of another provider",
            trigger:
                ".o_kanban_renderer:not(:has(.o_kanban_record:contains('Tour Other')))",
        },
        {
            content: "Every column counts exactly the cards it shows",
            trigger: ".o_kanban_renderer",
            run() {
                const groups = [...document.querySelectorAll(".o_kanban_group")];
                let total = 0;
                for (const group of groups) {
                    const title = group
                        .querySelector(".o_column_title")
                        ?.textContent.trim();
                    const counter = group.querySelector(
                        ".o_kanban_counter .o_animated_number"
                    );
                    const cards = group.querySelectorAll(".o_kanban_record").length;
                    total += cards;
                    if (counter && Number(counter.textContent.trim()) !== cards) {
                        throw new Error(
                            `Column ${title} counts ${counter.textContent.trim()} but shows ${cards} cards`
                        );
                    }
                }
                if (total !== 3) {
                    throw new Error(`The coach sees ${total} cards instead of her 3`);
                }
            },
        },
    ],
});
