// Package schedule is hamlet's pure next-time maths and its schedule store.
//
// The maths takes every instant as an argument (no clock is read): 5-field
// cron expressions in the area's timezone (robfig/cron's parser), sun events
// (sunrise, sunset, civil dawn and dusk) from the NOAA solar formulas, time
// expressions such as "sunset+15m" or "23:00" (When), and light programmes
// (Programme): a day's steps with weekdays and dated exceptions, evaluated
// for what must be true at an instant (StateAt) and what comes next (Next).
//
// Service keeps the schedules (light programmes and recurring
// announcements) in the store, validates each kind's programme with the
// validator its owner registers, and tells listeners when they change.
package schedule
